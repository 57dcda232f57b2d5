import { afterEach, describe, expect, it } from 'vitest';
import type { Socket } from 'node:net';
import { connectProvider, connectRaw } from '../helpers/clients.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { waitFor } from '../helpers/wait.js';

describe('collaboration: slow readers', () => {
  let server: TestServer;
  afterEach(async () => {
    await server.close();
  });

  it('disconnects a client whose socket buffer stays over the cap, and keeps serving the others', async () => {
    server = await startServer({ openDocuments: true, maxBufferedBytes: 64 * 1024 });
    const writer = connectProvider(server.collabUrl, 'firehose');
    const reader = connectProvider(server.collabUrl, 'firehose');
    await Promise.all([writer.synced(), reader.synced()]);
    const stalled = connectRaw(server.collabUrl, 'firehose');
    await stalled.opened;
    stalled.handshake();
    const room = await waitFor(() => server.app.collab.get('firehose'));
    await waitFor(() => room.connections.size === 3);
    // Stop reading: the server's writes pile up in its socket buffer.
    (stalled.ws as unknown as { _socket: Socket })._socket.pause();

    const chunk = 'x'.repeat(256 * 1024);
    for (let i = 0; i < 80 && room.connections.size === 3; i++) {
      writer.doc.getText('t').insert(0, chunk);
      await waitFor(() => reader.doc.getText('t').length >= (i + 1) * chunk.length, { timeout: 60_000 });
    }
    await waitFor(() => room.connections.size === 2, { message: 'slow reader was not disconnected', timeout: 60_000 });
    writer.doc.getText('t').insert(0, 'still flowing');
    await waitFor(() => reader.doc.getText('t').toString().startsWith('still flowing'));
    expect(server.app.collab.stats().connections).toBe(2);
    writer.destroy();
    reader.destroy();
    stalled.ws.terminate();
  });
});
