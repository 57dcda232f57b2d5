import { afterEach, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import * as Y from 'yjs';
import { connectProvider, type ProviderClient } from '../helpers/clients.js';
import { startChildServer, type ChildServer } from '../helpers/child.js';
import { tempDataDir } from '../helpers/server.js';
import { waitFor } from '../helpers/wait.js';

interface Typist {
  client: ProviderClient;
  /** Every update this client received from the server. */
  received: Uint8Array[];
}

describe('collaboration: nothing acknowledged is lost', () => {
  const dataDir = tempDataDir();
  let child: ChildServer | null = null;
  const clients: ProviderClient[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy();
    if (child && child.proc.exitCode === null) {
      child.proc.kill('SIGKILL');
      await child.exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps every update any client received after the server is killed with SIGKILL under load', async () => {
    const docs = ['crash-a', 'crash-b'];
    for (let cycle = 0; cycle < 2; cycle++) {
      child = await startChildServer(dataDir, { OPEN_DOCUMENTS: 'true', COMPACT_THRESHOLD: '40' });
      const typists: Typist[] = [];
      for (const doc of docs) {
        for (let i = 0; i < 3; i++) {
          const client = connectProvider(child.collabUrl, doc);
          clients.push(client);
          const typist: Typist = { client, received: [] };
          client.doc.on('update', (update: Uint8Array, origin: unknown) => {
            if (origin === client.provider) typist.received.push(update);
          });
          typists.push(typist);
        }
      }
      await Promise.all(typists.map((t) => t.client.synced()));

      // Type continuously and kill the server mid-stream, without warning.
      let typing = true;
      const loops = typists.map(async (t, i) => {
        let n = 0;
        while (typing) {
          const text = t.client.doc.getText('notes');
          text.insert(text.length, `[c${cycle}t${i}n${n++}]`);
          if (n % 7 === 0) text.delete(0, Math.min(2, text.length));
          await new Promise((resolve) => setTimeout(resolve, 3 + (i % 4)));
        }
      });
      await waitFor(() => typists.every((t) => t.received.length > 20), { timeout: 60_000 });
      child.proc.kill('SIGKILL');
      const exit = await child.exited;
      typing = false;
      await Promise.all(loops);
      expect(exit.signal).toBe('SIGKILL');
      for (const c of clients.splice(0)) c.destroy();

      // After the restart, a fresh client sees what the server holds.
      child = await startChildServer(dataDir, { OPEN_DOCUMENTS: 'true' });
      for (const doc of docs) {
        const fresh = connectProvider(child.collabUrl, doc);
        clients.push(fresh);
        await fresh.synced();
        const held = Y.snapshot(fresh.doc);
        const missing = typists
          .filter((t) => t.client.provider.roomname === doc)
          .flatMap((t) => t.received)
          .filter((update) => !Y.snapshotContainsUpdate(held, update));
        expect(missing, `${doc}: updates clients had received are missing after the crash`).toHaveLength(0);
        expect(fresh.doc.getText('notes').length).toBeGreaterThan(0);
      }
      for (const c of clients.splice(0)) c.destroy();
      child.proc.kill('SIGTERM');
      const stopped = await child.exited;
      expect(stopped.code).toBe(0);
    }
  });

  it('on SIGTERM closes sockets with 1001, writes every document and exits cleanly', async () => {
    child = await startChildServer(dataDir, { OPEN_DOCUMENTS: 'true', COMPACT_THRESHOLD: '100000' });
    const writer = connectProvider(child.collabUrl, 'graceful');
    clients.push(writer);
    await writer.synced();
    writer.doc.getText('t').insert(0, 'before shutdown');
    const closes: number[] = [];
    writer.provider.on('connection-close', (event) => {
      if (event) closes.push(event.code);
    });
    await waitFor(async () => {
      const probe = connectProvider(child!.collabUrl, 'graceful');
      await probe.synced();
      const ok = probe.doc.getText('t').toString() === 'before shutdown';
      probe.destroy();
      return ok;
    });
    child.proc.kill('SIGTERM');
    expect((await child.exited).code).toBe(0);
    await waitFor(() => closes.includes(1001), { message: 'clients were not told 1001' });
    expect(child.logs.some((line) => line.includes('shutting down'))).toBe(true);
    writer.provider.disconnect();

    child = await startChildServer(dataDir, { OPEN_DOCUMENTS: 'true' });
    const reader = connectProvider(child.collabUrl, 'graceful');
    clients.push(reader);
    await reader.synced();
    expect(reader.doc.getText('t').toString()).toBe('before shutdown');
  });
});
