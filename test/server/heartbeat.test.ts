import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import type { AddressInfo } from 'node:net';
import { startHeartbeat, type Heartbeat } from '../../server/collab/heartbeat.js';
import { waitFor } from '../helpers/wait.js';

const cleanups: Array<() => void | Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A real WebSocket server whose accepted sockets the heartbeat watches. */
async function serve(periodMs: number, slices?: number): Promise<{ url: string; wss: WebSocketServer; heartbeat: Heartbeat }> {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise((resolve) => wss.once('listening', resolve));
  const heartbeat = startHeartbeat(wss.clients, periodMs, slices);
  wss.on('connection', (socket) => heartbeat.track(socket));
  cleanups.push(() => new Promise<void>((resolve) => wss.close(() => resolve())));
  cleanups.push(() => heartbeat.stop());
  return { url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`, wss, heartbeat };
}

async function connect(url: string, options: { autoPong?: boolean } = {}): Promise<{ socket: WebSocket; pings: number[] }> {
  const socket = new WebSocket(url, options);
  const pings: number[] = [];
  socket.on('ping', () => pings.push(performance.now()));
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  cleanups.push(() => socket.terminate());
  return { socket, pings };
}

describe('heartbeat', () => {
  it('drops a peer that stops answering pings and keeps one that answers', async () => {
    const { url } = await serve(200, 4);
    const answering = await connect(url);
    const silent = await connect(url, { autoPong: false });
    const closed = new Promise<number>((resolve) => silent.socket.once('close', (code) => resolve(code)));
    // 1006: terminated without a close frame, as for a vanished laptop.
    expect(await closed).toBe(1006);
    await waitFor(() => answering.pings.length >= 3);
    expect(answering.socket.readyState).toBe(WebSocket.OPEN);
  });

  it('spreads the pings of many sockets over the period instead of sending them all at once', async () => {
    const { url } = await serve(600, 6);
    const clients = await Promise.all(Array.from({ length: 60 }, () => connect(url)));
    await waitFor(() => clients.every((client) => client.pings.length >= 1), { timeout: 5_000 });
    const first = clients.map((client) => client.pings[0]!).sort((a, b) => a - b);
    // Ten sockets a tick, one tick every 100 ms: the first pings span about half a period.
    expect(first.at(-1)! - first[0]!).toBeGreaterThan(300);
    // …and every socket is pinged again a period later, not more often.
    await waitFor(() => clients.every((client) => client.pings.length >= 2), { timeout: 5_000 });
    for (const client of clients) expect(client.pings[1]! - client.pings[0]!).toBeGreaterThan(400);
  });
});
