// The CLI reads DATA_DIR's database directly: notes typed through a real server, the server
// stopped, then `scripts/quorum.ts` run as a child process, as a person would run it.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ICAL from 'ical.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { runCli } from '../helpers/processes.js';
import { createMeeting, setupAdmin } from '../server/support/api.js';
import { actionsOf, typeNotes } from './typing.js';
import type { CreatedMeeting } from '../../shared/api/index.js';

const quorum = runCli;

describe('npm run quorum -- export', () => {
  let server: TestServer;
  let meeting: CreatedMeeting;
  let env: Record<string, string>;
  const outDir = mkdtempSync(join(tmpdir(), 'quorum-cli-'));

  beforeAll(async () => {
    server = await startServer();
    const admin = await setupAdmin(server);
    meeting = await createMeeting(server, admin, {
      title: 'DMLT <Weekly>',
      series: 'DMLT',
      startDate: '2021-03-01',
      attendees: [{ name: 'Kian-Tat Lim', handle: 'KTL' }],
    });
    const client = await typeNotes(server, meeting, ['ACTION: KTL =SUM(A1:A9) fix the sheet by 2021-03-05', 'KTL: <b>not</b> an action']);
    await actionsOf(server, meeting.id, admin, 1);
    client.destroy();
    // The server's answer is what the CLI must reproduce from the database alone.
    const served = await fetch(`${server.url}/api/meetings/${meeting.id}/actions?format=csv`, { headers: { cookie: admin.cookie! } });
    expect(served.status).toBe(200);
    // The bytes as served, the UTF-8 mark included (response.text() would drop it).
    env = { DATA_DIR: server.dataDir, SERVED_CSV: new TextDecoder('utf-8', { ignoreBOM: true }).decode(await served.arrayBuffer()) };
    await server.stop();
  });

  afterAll(async () => {
    await server?.close();
    rmSync(outDir, { recursive: true, force: true });
  });

  it('exports actions as the API does, to stdout or a file', async () => {
    const csv = await quorum(['export', 'actions', '--meeting', meeting.id, '--format', 'csv'], env);
    expect(csv.stderr).toBe('');
    expect(csv.code).toBe(0);
    expect(csv.stdout).toBe(env.SERVED_CSV);
    expect(csv.stdout).toContain(",'=SUM(A1:A9) fix the sheet,");

    const file = join(outDir, 'actions.ics');
    const ics = await quorum(['export', 'actions', '--meeting', meeting.id, '--format', 'ics', '--out', file], env);
    expect(ics.code).toBe(0);
    const todo = new ICAL.Component(ICAL.parse(readFileSync(file, 'utf8'))).getFirstSubcomponent('vtodo')!;
    expect(String(todo.getFirstPropertyValue('due'))).toBe('2021-03-05');

    // Across meetings, a series named as the API reads it: "dmlt" is DMLT.
    const series = await quorum(['export', 'actions', '--series', ' dmlt', '--format', 'json'], env);
    expect((JSON.parse(series.stdout) as { items: Array<{ description: string }> }).items.map((a) => a.description)).toEqual(['=SUM(A1:A9) fix the sheet']);
  });

  it('exports notes as Markdown and escaped HTML', async () => {
    const [md, html] = await Promise.all([
      quorum(['export', 'notes', '--meeting', meeting.id, '--format', 'md'], env),
      quorum(['export', 'notes', '--meeting', meeting.id, '--format', 'html'], env),
    ]);
    expect(md.code).toBe(0);
    expect(md.stdout).toContain('# DMLT \\<Weekly\\>');
    expect(md.stdout).toContain('KTL: \\<b\\>not\\</b\\> an action');
    expect(html.code).toBe(0);
    expect(html.stdout).toContain('<title>DMLT &lt;Weekly&gt;</title>');
    expect(html.stdout).not.toContain('<b>not</b>');
  });

  it('explains mistakes clearly', async () => {
    const [unknownMeeting, badFormat, noData, listed] = await Promise.all([
      quorum(['export', 'notes', '--meeting', 'nosuchmeeting'], env),
      quorum(['export', 'actions', '--meeting', meeting.id, '--format', 'xlsx'], env),
      quorum(['export', 'actions', '--meeting', meeting.id], { DATA_DIR: join(outDir, 'missing') }),
      quorum(['meetings'], env),
    ]);
    expect(unknownMeeting.code).toBe(1);
    expect(unknownMeeting.stderr).toContain('no meeting with id nosuchmeeting');
    expect(badFormat.code).toBe(2);
    expect(badFormat.stderr).toContain('--format must be one of json, csv, md, ics');
    expect(badFormat.stderr).toContain('Usage: npm run quorum');
    expect(noData.code).toBe(1);
    expect(noData.stderr).toContain('no Quorum database at');
    expect(listed.stdout).toContain(`${meeting.id}\t2021-03-01\tDMLT\topen\tDMLT <Weekly>`);
  });

  it('makes a one-time password link for an admin who forgot theirs, which the server then takes', async () => {
    const cli = { ...env, PUBLIC_URL: server.url };
    const unknown = await quorum(['reset-password', 'nobody@example.org'], cli);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no account with the e-mail address nobody@example.org');
    expect((await quorum(['reset-password'], cli)).code).toBe(2);
    const made = await quorum(['reset-password', 'ADMIN@example.org'], cli);
    expect(made.code).toBe(0);
    expect(made.stderr).toContain('a one-time link for Ada Admin (admin)');
    const link = made.stdout.trim();
    expect(link).toMatch(new RegExp(`^${server.url}/reset-password\\?token=[A-Za-z0-9_-]{43}$`));
    const token = new URL(link).searchParams.get('token')!;

    const live = await server.restartInPlace();
    try {
      const post = (path: string, body: unknown) =>
        fetch(`${live.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', origin: live.url }, body: JSON.stringify(body) });
      expect(await (await post('/api/password-resets/lookup', { token })).json()).toEqual({ email: 'admin@example.org', name: 'Ada Admin' });
      expect((await post('/api/password-resets/accept', { token, password: 'a password remembered' })).status).toBe(200);
      expect((await post('/api/login', { email: 'admin@example.org', password: 'a password remembered' })).status).toBe(200);
    } finally {
      await live.stop();
    }
  });
});
