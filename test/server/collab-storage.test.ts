// What the collaboration core does when the store cannot write (SQLite answers SQLITE_FULL; here a
// page-count cap stands for the full disk): a client's update is refused whole and the document
// stays healthy; a change the server makes itself waits, seen by nobody, until it can be stored.
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { startServer, type TestServer } from '../helpers/server.js';
import { connectProvider, type ProviderClient } from '../helpers/clients.js';
import { waitFor } from '../helpers/wait.js';
import { SERVER_ORIGIN } from '../../server/collab/room.js';

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
});
