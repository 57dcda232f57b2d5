/**
 * Frames the server writes itself (header and payload in one buffer, built once per broadcast)
 * must be exactly what `ws` would send: a real `ws` client on a real socket reads them.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';
import { MERGED_FRAME_LIMIT, WsCollabSocket } from '../../server/collab/ws-socket.js';
import { waitFor } from '../helpers/wait.js';

let http: Server;
let wss: WebSocketServer;
const clients: WebSocket[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) client.terminate();
  wss.close();
  await new Promise((resolve) => http.close(resolve));
});

/** `count` connected pairs: the server side wrapped as the collaboration core sees it, the client recording what it reads. */
async function pairs(count: number): Promise<Array<{ server: WsCollabSocket; received: Buffer[] }>> {
  http = createServer();
  wss = new WebSocketServer({ server: http, perMessageDeflate: false });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  const accepted: WebSocket[] = [];
  wss.on('connection', (ws) => accepted.push(ws));
  const out: Array<{ server: WsCollabSocket; received: Buffer[] }> = [];
  for (let i = 0; i < count; i++) {
    const client = new WebSocket(`ws://127.0.0.1:${port}`);
    clients.push(client);
    const received: Buffer[] = [];
    client.on('message', (data: Buffer, isBinary) => {
      expect(isBinary).toBe(true);
      received.push(data);
    });
    await new Promise((resolve) => client.once('open', resolve));
    await waitFor(() => accepted.length === i + 1);
    out.push({ server: new WsCollabSocket(accepted[i]!), received });
  }
  return out;
}

function payload(size: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 7 + seed) & 0xff;
  return bytes;
}

// Every length encoding of RFC 6455 (7-bit, 16-bit, 64-bit), both sides of the merge limit.
const SIZES = [0, 1, 125, 126, 127, 1_000, MERGED_FRAME_LIMIT, MERGED_FRAME_LIMIT + 1, 65_535, 65_536, 200_000];

describe('frames written to a ws socket', () => {
  it('arrive intact and in order at every length, one payload sent to several sockets', async () => {
    const sockets = await pairs(3);
    const payloads = SIZES.map((size, i) => payload(size, i));
    for (const bytes of payloads) for (const { server } of sockets) server.send(bytes);
    for (const { received } of sockets) {
      await waitFor(() => received.length === payloads.length);
      received.forEach((data, i) => expect(data.equals(payloads[i]!), `payload of ${SIZES[i]} bytes`).toBe(true));
    }
  });

  it('arrive as separate messages, in order, in one write per socket when sent together', async () => {
    const sockets = await pairs(3);
    const writes = sockets.map(({ server }) => {
      const socket = (server.ws as unknown as { _socket: import('node:net').Socket })._socket;
      const counted = { count: 0 };
      const write = socket.write.bind(socket) as (...args: unknown[]) => boolean;
      socket.write = ((...args: unknown[]) => {
        counted.count++;
        return write(...args);
      }) as typeof socket.write;
      return counted;
    });
    // A relay run: an update and a presence change, the same array for every socket.
    const run = [payload(90, 1), payload(40, 2)];
    for (const { server } of sockets) server.sendAll(run);
    // One too long to be framed with the others goes through ws, frame by frame.
    const long = [payload(10, 3), payload(MERGED_FRAME_LIMIT + 1, 4)];
    sockets[0]!.server.sendAll(long);
    for (const [i, { received }] of sockets.entries()) {
      const expected = i === 0 ? [...run, ...long] : run;
      await waitFor(() => received.length === expected.length);
      received.forEach((data, j) => expect(data.equals(expected[j]!), `message ${j} on socket ${i}`).toBe(true));
    }
    expect(writes.slice(1).map((w) => w.count)).toEqual([1, 1]);
    expect(writes[0]!.count).toBeGreaterThan(2);
  });

  it('count what is still unsent in bufferedAmount, like ws.send', async () => {
    const { server, received } = (await pairs(1))[0]!;
    const socket = (server.ws as unknown as { _socket: import('node:net').Socket })._socket;
    socket.cork();
    server.send(payload(1_000, 1));
    expect(server.bufferedAmount).toBeGreaterThanOrEqual(1_000);
    socket.uncork();
    await waitFor(() => received.length === 1);
    await waitFor(() => server.bufferedAmount === 0);
  });
});
