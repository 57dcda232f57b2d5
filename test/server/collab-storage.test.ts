// What the collaboration core does when the store cannot write (SQLite answers SQLITE_FULL; here a
// page-count cap stands for the full disk): a client's update is refused whole and the document
// stays healthy; a change the server makes itself waits, seen by nobody, until it can be stored.
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { startServer, type TestServer } from '../helpers/server.js';
import { connectProvider, type ProviderClient } from '../helpers/clients.js';
import { waitFor } from '../helpers/wait.js';
import { SERVER_ORIGIN } from '../../server/collab/room.js';
import { SqliteDocumentStore } from '../../server/persistence/sqlite-document-store.js';

let server: TestServer | null = null;
const clients: ProviderClient[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy();
  await server?.close();
  server = null;
});

/** No more pages than the database has now: the next write that needs one fails as on a full disk. */
function fillDisk(s: TestServer): void {
  s.app.db.pragma('wal_checkpoint(TRUNCATE)');
  const pages = s.app.db.pragma('page_count', { simple: true }) as number;
  s.app.db.pragma(`max_page_count = ${pages}`);
}

function freeDisk(s: TestServer): void {
  s.app.db.pragma('max_page_count = 1073741823');
}

describe('collaboration when storage fails', () => {
  it("a server-made change waits until it is stored before anyone sees it; clients' edits are refused, not half-applied", async () => {
    server = await startServer({ openDocuments: true });
    const open = () => {
      const client = connectProvider(server!.collabUrl, 'held');
      clients.push(client);
      return client;
    };
    const [writer, reader] = [open(), open()];
    await Promise.all([writer.synced(), reader.synced()]);
    const room = server.app.collab.get('held')!;

    fillDisk(server);
    // A big edit needs new pages: refused.
    writer.doc.getText('t').insert(0, 'x'.repeat(200_000));
    await waitFor(() => server!.app.collab.storageFailure !== null, { message: 'the failure is noticed' });
    expect(server.app.collab.storageFailure?.reason).toBe('disk full');
    expect(room.doc.getText('t').length).toBe(0);

    // The server's own change is applied in memory but reaches nobody while it cannot be stored.
    room.doc.transact(() => room.doc.getText('server').insert(0, 'y'.repeat(200_000)), SERVER_ORIGIN);
    expect(room.unstored.length).toBe(1);
    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).toBe(503);

    freeDisk(server);
    await waitFor(() => reader.doc.getText('server').length === 200_000, { timeout: 60_000, message: "the server's change is stored and relayed" });
    await waitFor(() => reader.doc.getText('t').length === 200_000, { timeout: 60_000, message: "the writer's edit arrives when it reconnects" });
    expect(server.app.collab.storageFailure).toBeNull();
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
    // The document never stopped working: later edits flow as usual.
    writer.doc.getText('t').insert(0, 'ok ');
    await waitFor(() => reader.doc.getText('t').toString().startsWith('ok '), { message: 'editing goes on' });
    void Y;
  });

  it('stores nothing inside a transaction of the query layer left open across a turn of the event loop: an edit made meanwhile is kept, and stored after it, even when it rolls back', async () => {
    server = await startServer({ openDocuments: true });
    const writer = connectProvider(server.collabUrl, 'shared-connection');
    clients.push(writer);
    await writer.synced();
    writer.doc.getText('t').insert(0, 'before ');
    await waitFor(() => server!.app.collab.get('shared-connection')?.doc.getText('t').toString() === 'before ', { message: 'the first edit is stored' });

    // The query layer and the update log share one SQLite connection. A transaction that awaits
    // something that takes a turn of the event loop (here: the server handling the next edit),
    // then fails, and is rolled back.
    const handled = () => server!.app.collab.storageFailure !== null || server!.app.collab.get('shared-connection')!.doc.getText('t').toString() !== 'before ';
    await expect(
      server.app.sql.transaction(async (trx) => {
        await trx.updateTable('context_version').set((eb) => ({ version: eb('version', '+', 1) })).execute();
        writer.doc.getText('t').insert(7, 'during');
        await waitFor(handled, { message: 'the server handles the edit while the transaction is open' });
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');

    // Refused while the transaction was open, then sent again and stored.
    await waitFor(() => server!.app.collab.get('shared-connection')?.doc.getText('t').toString() === 'before during', { message: 'the edit arrives' });
    await waitFor(() => server!.app.collab.storageFailure === null, { message: 'storing resumes' });
    // What the database holds now, as a crash would leave it (a graceful stop writes the whole
    // document again, which would hide a lost row).
    const stored = new SqliteDocumentStore(server.app.db).load('shared-connection');
    const durable = new Y.Doc();
    if (stored.state) Y.applyUpdate(durable, stored.state);
    for (const update of stored.updates) Y.applyUpdate(durable, update);
    expect(durable.getText('t').toString()).toBe('before during');
  });
});
