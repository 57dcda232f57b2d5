// Online backups: `npm run quorum -- backup` run as a separate process while five clients type
// through a real server, restored with `npm run quorum -- restore` into a new data directory
// where a new server serves every update any client had received before the backup began.
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connectProvider, type ProviderClient } from '../helpers/clients.js';
import { startServer, tempDataDir, type TestServer } from '../helpers/server.js';
import { waitFor } from '../helpers/wait.js';
import { runCli } from '../helpers/processes.js';

const quorum = (args: string[], dataDir: string) => runCli(args, { DATA_DIR: dataDir });

/** Whether `state` holds every update `needed` describes (state vectors: client → next clock). */
function covers(state: Map<number, number>, needed: Map<number, number>): boolean {
  return [...needed].every(([client, clock]) => (state.get(client) ?? 0) >= clock);
}

describe('online backup and restore', () => {
  const cleanups: Array<() => unknown> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('a backup taken while five clients type restores with every update any of them had received', async () => {
    const server: TestServer = await startServer({ openDocuments: true, compactThreshold: 10_000 });
    cleanups.push(() => server.close());
    const typists: Array<{ client: ProviderClient; received: Uint8Array[] }> = [];
    for (let i = 0; i < 5; i++) {
      const client = connectProvider(server.collabUrl, 'minutes');
      cleanups.push(() => client.destroy());
      const typist = { client, received: [] as Uint8Array[] };
      client.doc.on('update', (update: Uint8Array, origin: unknown) => {
        if (origin === client.provider) typist.received.push(update);
      });
      typists.push(typist);
    }
    await Promise.all(typists.map(({ client }) => client.synced()));
    let typing = true;
    const loops = typists.map(async ({ client }, i) => {
      for (let n = 0; typing; n++) {
        const text = client.doc.getText('t');
        text.insert(Math.floor(Math.random() * (text.length + 1)), `${i}:${n} `);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    });
    cleanups.push(async () => {
      typing = false;
      await Promise.all(loops);
    });
    // Under way: everyone has received plenty from the others.
    await waitFor(() => typists.every(({ received }) => received.length >= 30));

    // What each client had received when the backup began: the server stored all of it first.
    const before = typists.map(({ received }) => Y.decodeStateVector(Y.encodeStateVectorFromUpdate(Y.mergeUpdates(received))));
    const backup = join(tempDataDir(), 'quorum-backup.db');
    cleanups.push(() => rmSync(join(backup, '..'), { recursive: true, force: true }));
    const made = await quorum(['backup', backup], server.dataDir);
    expect(made.stderr).toMatch(/backed up .* \(\d+\.\d MB: \d+ meetings, 1 documents, schema \d+\)/);
    expect(made.code).toBe(0);
    // Still typing while the backup ran.
    const during = typists.map(({ received }) => received.length);
    await waitFor(() => typists.every(({ received }, i) => received.length > during[i]!));
    typing = false;
    await Promise.all(loops);

    const restoredDir = join(tempDataDir(), 'restored');
    cleanups.push(() => rmSync(join(restoredDir, '..'), { recursive: true, force: true }));
    const restored = await quorum(['restore', backup], restoredDir);
    expect(restored.stderr).toMatch(/restored .* into .*quorum\.db/);
    expect(restored.code).toBe(0);

    const second = await startServer({ openDocuments: true }, restoredDir);
    cleanups.push(() => second.stop());
    const reader = connectProvider(second.collabUrl, 'minutes');
    cleanups.push(() => reader.destroy());
    await reader.synced();
    const state = Y.decodeStateVector(Y.encodeStateVector(reader.doc));
    before.forEach((needed, i) => expect(covers(state, needed), `typist ${i}'s received updates`).toBe(true));
  });

  it('refuses to restore over data, into a directory a server is using, or from a file that is no backup', async () => {
    const server = await startServer({ openDocuments: true });
    cleanups.push(() => server.close());
    const backup = join(tempDataDir(), 'backup.db');
    cleanups.push(() => rmSync(join(backup, '..'), { recursive: true, force: true }));
    expect((await quorum(['backup', backup], server.dataDir)).code).toBe(0);

    // The running server's own directory: not empty, and locked even when forced.
    const over = await quorum(['restore', backup], server.dataDir);
    expect(over.code).toBe(1);
    expect(over.stderr).toMatch(/is not empty .* add --force/);
    const forced = await quorum(['restore', backup, '--force'], server.dataDir);
    expect(forced.code).toBe(1);
    expect(forced.stderr).toMatch(/another Quorum server is using/);

    const junk = join(tempDataDir(), 'notes.txt');
    cleanups.push(() => rmSync(join(junk, '..'), { recursive: true, force: true }));
    writeFileSync(junk, 'not a database at all, just some text that is long enough to look like a file');
    const empty = join(tempDataDir(), 'empty');
    mkdirSync(empty);
    cleanups.push(() => rmSync(join(empty, '..'), { recursive: true, force: true }));
    const wrong = await quorum(['restore', junk], empty);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/not a readable SQLite database|not a Quorum database|damaged/);
    expect(existsSync(join(empty, 'quorum.db'))).toBe(false);

    const missing = await quorum(['backup', join(empty, 'x.db')], join(empty, 'no-such-dir'));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/no Quorum database at/);
  });

  it('refuses to back up an embedded database when the data is in PostgreSQL, and says what to use', async () => {
    const dir = tempDataDir();
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const refused = await runCli(['backup', join(dir, 'x.db')], { DATA_DIR: dir, DATABASE_URL: 'postgres://quorum@127.0.0.1:1/quorum' });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/DATABASE_URL is set.*pg_dump/);
    expect(existsSync(join(dir, 'x.db'))).toBe(false);
  });
});
