/**
 * The command line on PostgreSQL (DATABASE_URL), run as a child process as a person would run it
 * next to a running server: the meetings list, exports of actions and notes that match what the
 * API serves, and a password link for an admin who forgot theirs (on a deployment with one admin,
 * the only way back in). Backup, restore and import refuse, saying what to use instead.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.js';
import { runCli } from '../helpers/processes.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { createMeeting, setupAdmin, type Account } from '../server/support/api.js';
import { actionsOf, typeNotes } from '../exports/typing.js';
import type { CreatedMeeting } from '../../shared/api/index.js';

describe('npm run quorum -- … with DATABASE_URL', () => {
  let db: TestDatabase;
  let server: TestServer;
  let admin: Account;
  let meeting: CreatedMeeting;
  let env: Record<string, string>;

  beforeAll(async () => {
    db = await createTestDatabase();
    server = await startServer({ databaseUrl: db.url });
    admin = await setupAdmin(server);
    meeting = await createMeeting(server, admin, { title: 'Ops review', series: 'OPS', startDate: '2021-03-01', attendees: [{ name: 'Kian-Tat Lim', handle: 'KTL' }] });
    const client = await typeNotes(server, meeting, ['ACTION: KTL renew the certificates by 2021-03-05']);
    await actionsOf(server, meeting.id, admin, 1);
    client.destroy();
    // A data directory of its own, empty: the CLI must read PostgreSQL, not look there.
    env = { DATABASE_URL: db.url, DATA_DIR: '/nonexistent/quorum-data', PUBLIC_URL: server.url };
  });

  afterAll(async () => {
    await server?.close();
    await db?.drop();
  });

  it('lists the meetings and exports actions and notes as the API serves them', async () => {
    const listed = await runCli(['meetings'], env);
    expect(listed.stderr).toBe('');
    expect(listed.stdout).toBe(`${meeting.id}\t2021-03-01\tOPS\topen\tOps review\n`);

    const csv = await runCli(['export', 'actions', '--meeting', meeting.id, '--format', 'csv'], env);
    expect(csv.code).toBe(0);
    const served = await fetch(`${server.url}/api/meetings/${meeting.id}/actions?format=csv`, { headers: { cookie: admin.cookie } });
    expect(csv.stdout).toBe(new TextDecoder('utf-8', { ignoreBOM: true }).decode(await served.arrayBuffer()));
    expect(csv.stdout).toContain('renew the certificates');
    const across = await runCli(['export', 'actions', '--series', 'ops', '--format', 'json'], env);
    expect((JSON.parse(across.stdout) as { items: Array<{ description: string }> }).items.map((a) => a.description)).toEqual(['renew the certificates']);
    expect((await runCli(['export', 'actions', '--meeting', 'nosuchmeeting'], env)).stderr).toContain('no meeting with id nosuchmeeting');

    const notes = await runCli(['export', 'notes', '--meeting', meeting.id], env);
    expect(notes.code).toBe(0);
    const servedNotes = await fetch(`${server.url}/api/meetings/${meeting.id}/notes?format=md`, { headers: { cookie: admin.cookie } });
    expect(notes.stdout).toBe(await servedNotes.text());
    expect(notes.stdout).toContain('ACTION: KTL renew the certificates by 2021-03-05');
  });

  it('leaves the schema as the running server has it, even one newer than the command line knows', async () => {
    await db.sql("INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'from-a-newer-quorum', 0)");
    try {
      const notes = await runCli(['export', 'notes', '--meeting', meeting.id], env);
      expect(notes.stderr).toBe('');
      expect(notes.stdout).toContain('# Ops review');
    } finally {
      await db.sql('DELETE FROM schema_migrations WHERE version = 999');
    }
  });

  it('makes a password link the running server takes', async () => {
    const made = await runCli(['reset-password', 'admin@example.org'], env);
    expect(made.code).toBe(0);
    expect(made.stderr).toContain('a one-time link for Ada Admin (admin)');
    const token = new URL(made.stdout.trim()).searchParams.get('token')!;
    const post = (path: string, body: unknown) =>
      fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', origin: server.url }, body: JSON.stringify(body) });
    expect((await post('/api/password-resets/accept', { token, password: 'a password remembered' })).status).toBe(200);
    expect((await post('/api/login', { email: 'admin@example.org', password: 'a password remembered' })).status).toBe(200);
    const unknown = await runCli(['reset-password', 'nobody@example.org'], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no account with the e-mail address nobody@example.org');
  });

  it('refuses what is for the embedded database, and a database Quorum never ran on, saying why', async () => {
    for (const command of [['backup', '/tmp/x.db'], ['restore', '/tmp/x.db'], ['import', 'minutes.md']]) {
      const refused = await runCli(command, env);
      expect(refused.code, command[0]).toBe(2);
      expect(refused.stderr).toMatch(/DATABASE_URL is set.*pg_dump/);
    }
    const empty = await createTestDatabase();
    try {
      const url = new URL(empty.url);
      url.password = 'secret-password';
      const fresh = await runCli(['meetings'], { ...env, DATABASE_URL: url.toString() });
      expect(fresh.code).toBe(1);
      expect(fresh.stderr).toContain("cannot read Quorum's data in PostgreSQL");
      expect(fresh.stderr).toContain('has the server started on it once?');
      expect(fresh.stderr).not.toContain('secret-password');
    } finally {
      await empty.drop();
    }
  });
});
