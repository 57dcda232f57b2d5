import type { WebSocket } from 'ws';

export interface Heartbeat {
  /** Starts watching a socket: a pong marks it alive until its next ping. */
  track(socket: WebSocket): void;
  stop(): void;
}

/**
 * Pings every socket once per period and terminates those that did not answer the previous
 * ping (laptops that vanished never send a close). Sockets are pinged a slice at a time, spread
 * over the period: pinging thousands at once is a socket write each in one go, a pause that showed
 * in everyone's latency every 30 s (the 4,000-connection step of benchmark 2b failed on it).
 */
export function startHeartbeat(sockets: Set<WebSocket>, periodMs: number, slices = 30): Heartbeat {
  const alive = new WeakMap<WebSocket, boolean>();
  let round: Iterator<WebSocket> | null = null;
  let perTick = 0;

  const tick = (): void => {
    if (!round) {
      // A Set's iterator stays valid while sockets come and go: new ones are reached this round.
      round = sockets[Symbol.iterator]();
      // At least one, so that a round begun with no sockets ends (and the next sees newcomers).
      perTick = Math.max(1, Math.ceil(sockets.size / slices));
    }
    for (let i = 0; i < perTick; i++) {
      const next = round.next();
      if (next.done) {
        round = null;
        return;
      }
      const socket = next.value;
      if (alive.get(socket) === false) {
        socket.terminate();
        continue;
      }
      alive.set(socket, false);
      socket.ping();
    }
  };
  const timer = setInterval(tick, Math.max(1, Math.floor(periodMs / slices)));
  timer.unref();

  return {
    track(socket) {
      alive.set(socket, true);
      socket.on('pong', () => alive.set(socket, true));
    },
    stop() {
      clearInterval(timer);
    },
  };
}
