import { afterEach, describe, expect, it, vi } from 'vitest';
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

  it('pings sockets that arrive after it started with none, as a server does that has just started', () => {
    // A round that began with no sockets once took no socket per tick and so never ended: the
    // server never pinged anyone again, and vanished peers were never dropped.
    vi.useFakeTimers();
    cleanups.push(() => void vi.useRealTimers());
    const sockets = new Set<WebSocket>();
    const heartbeat = startHeartbeat(sockets, 600, 6);
    cleanups.push(() => heartbeat.stop());
    vi.advanceTimersByTime(1_000);
    let pings = 0;
    let terminated = false;
    const silent = {
      ping: () => pings++,
      terminate: () => (terminated = true),
      on: () => {},
    } as unknown as WebSocket;
    sockets.add(silent);
    heartbeat.track(silent);
    vi.advanceTimersByTime(1_400);
    expect(pings).toBe(1);
    expect(terminated).toBe(true);
  });

  it('spreads the pings of many sockets over the period instead of sending them all at once', () => {
    // The schedule is the heartbeat's own arithmetic, so it is checked on a fake clock with
    // sockets that record their pings; the real-socket behaviour is the test above.
    vi.useFakeTimers();
    cleanups.push(() => void vi.useRealTimers());
    const sockets = new Set<WebSocket>();
    const pings = new Map<number, number[]>();
    let tick = 0;
    for (let id = 0; id < 60; id++) {
      pings.set(id, []);
      let pong = (): void => {};
      const socket = {
        ping: () => (pings.get(id)!.push(tick), pong()),
        terminate: () => sockets.delete(socket as unknown as WebSocket),
        on: (event: string, listener: () => void) => event === 'pong' && (pong = listener),
      };
      sockets.add(socket as unknown as WebSocket);
    }
    const heartbeat = startHeartbeat(sockets, 600, 6);
    cleanups.push(() => heartbeat.stop());
    for (const socket of sockets) heartbeat.track(socket);
    const pingedAt = (t: number): number => [...pings.values()].filter((times) => times.includes(t)).length;
    for (tick = 1; tick <= 14; tick++) vi.advanceTimersByTime(100);
    // Ten sockets a tick, one tick every 100 ms, so a round spans the period…
    for (let t = 1; t <= 6; t++) expect(pingedAt(t)).toBe(10);
    // …then one tick notices the round is over, and the next round starts.
    expect(pingedAt(7)).toBe(0);
    for (let t = 8; t <= 13; t++) expect(pingedAt(t)).toBe(10);
    for (const times of pings.values()) {
      expect(times.slice(0, 2)).toHaveLength(2);
      expect(times[1]! - times[0]!).toBe(7);
    }
  });
});
