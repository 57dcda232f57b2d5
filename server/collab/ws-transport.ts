import type { IncomingMessage, Server } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { CloseCode, isValidDocumentName } from '../../shared/protocol/index.js';
import type { Connection } from './connection.js';
import { startHeartbeat } from './heartbeat.js';
import { WsCollabSocket } from './ws-socket.js';
import type { RoomRegistry } from './registry.js';
import type { Grant, Logger } from './types.js';

export type Authorization = { ok: true; grant: Grant } | { ok: false; code: number; reason: string };

export interface TransportOptions {
  registry: RoomRegistry;
  logger: Logger;
  /** Connections one client address may hold at once (a flood of sockets is refused, not served). */
  maxConnectionsPerAddress?: number;
  /** Connections one credential (a share link, a member) may hold at once. */
  maxConnectionsPerCredential?: number;
  /** URL path prefix of the collaboration endpoint; the rest of the path is the document name. */
  prefix?: string;
  /** The client's address (behind a trusted proxy, from X-Forwarded-For); the socket's by default. */
  addressOf?(request: IncomingMessage): string;
  /** Whether the upgrade request's Host header names this server (see http-hardening). */
  allowHost?(request: IncomingMessage): boolean;
  /** Decides access from the upgrade request (cookies, `?token=`, `Authorization: Bearer`). */
  authorize(request: IncomingMessage, docName: string): Promise<Authorization>;
  heartbeatMs?: number;
}

export interface Transport {
  /** Stops accepting upgrades; existing sockets are closed by the registry. */
  close(): void;
}

/**
 * Speaks WebSocket for the registry. Sockets are always upgraded and then refused with a 44xx
 * close code and a reason, because y-websocket retries forever on a failed HTTP upgrade but
 * treats 44xx closes as final.
 */
export function attachWebSocketTransport(server: Server, options: TransportOptions): Transport {
  const { registry, logger } = options;
  const prefix = options.prefix ?? '/collab/';
  const wss = new WebSocketServer({ noServer: true, maxPayload: registry.limits.maxFrameBytes, perMessageDeflate: false });
  // Dead peers (laptops that vanished) never send a close; ping them and drop the silent ones.
  const heartbeat = startHeartbeat(wss.clients, options.heartbeatMs ?? 30_000);
  const perAddress = new Counter(options.maxConnectionsPerAddress ?? Infinity);
  const perCredential = new Counter(options.maxConnectionsPerCredential ?? Infinity);
  let accepting = true;

  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    // The upgrade is the handshake closeIdleHandshakes waits for: from now on ws watches the socket.
    if ('setTimeout' in socket) (socket as Duplex & { setTimeout(ms: number): void }).setTimeout(0);
    const path = (request.url ?? '/').split('?', 1)[0]!;
    if (options.allowHost && !options.allowHost(request)) {
      socket.end('HTTP/1.1 421 Misdirected Request\r\nConnection: close\r\n\r\n');
      return;
    }
    if (!accepting || !path.startsWith(prefix)) {
      socket.end(accepting ? 'HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n' : 'HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => accept(ws, request, path.slice(prefix.length)));
  };

  const accept = (ws: WebSocket, request: IncomingMessage, rawName: string): void => {
    let docName = '';
    try {
      docName = decodeURIComponent(rawName);
    } catch {
      // Falls through to the name check below.
    }
    const connection = registry.connect(new WsCollabSocket(ws), docName);
    // Frames can arrive before authorization and loading finish: attach handlers now, queue them.
    ws.on('message', (data: RawData, isBinary: boolean) => {
      if (!isBinary) {
        connection.close(CloseCode.InvalidMessage, 'text frames are not part of the protocol');
        return;
      }
      connection.receive(ownBytes(data));
    });
    ws.on('close', () => connection.closed());
    ws.on('error', (error) => logger.warn({ doc: docName, conn: connection.id, err: error.message }, 'socket error'));
    heartbeat.track(ws);
    refuseOversizedFramesFinally(ws, connection, registry.limits.maxFrameBytes);

    if (!isValidDocumentName(docName)) {
      logger.info({ conn: connection.id }, 'refused: invalid document name');
      connection.close(CloseCode.BadRequest, 'invalid document name');
      return;
    }
    const address = options.addressOf?.(request) ?? request.socket.remoteAddress ?? 'unknown';
    if (!perAddress.take(address)) {
      logger.warn({ conn: connection.id, limit: perAddress.limit }, 'refused: too many connections from one address');
      connection.close(CloseCode.TooManyRequests, 'too many connections from your address');
      return;
    }
    connection.onClose(() => perAddress.release(address));
    options
      .authorize(request, docName)
      .then((decision) => {
        if (connection.isClosed) return;
        if (!decision.ok) {
          logger.info({ doc: docName, conn: connection.id, code: decision.code, reason: decision.reason }, 'connection refused');
          connection.close(decision.code, decision.reason);
          return;
        }
        const credential = decision.grant.user?.id;
        if (credential !== undefined) {
          if (!perCredential.take(credential)) {
            logger.warn({ doc: docName, conn: connection.id, limit: perCredential.limit }, 'refused: too many connections with one credential');
            connection.close(CloseCode.TooManyRequests, 'too many connections with this link or account');
            return;
          }
          connection.onClose(() => perCredential.release(credential));
        }
        logger.debug({ doc: docName, conn: connection.id, readOnly: decision.grant.readOnly }, 'connection admitted');
        return registry.admit(connection, decision.grant);
      })
      .catch((error: Error) => {
        logger.error({ doc: docName, conn: connection.id, err: error.message }, 'authorization failed');
        connection.close(1011, 'internal error');
      });
  };

  const keepAlive = setInterval(() => registry.keepAlive(), Math.max(50, Math.floor(registry.limits.keepAliveMs / 3)));
  keepAlive.unref();

  server.on('upgrade', onUpgrade);
  return {
    close() {
      accepting = false;
      heartbeat.stop();
      clearInterval(keepAlive);
      server.off('upgrade', onUpgrade);
    },
  };
}

/** Counts of live connections by key, with a ceiling. */
class Counter {
  private readonly counts = new Map<string, number>();
  constructor(readonly limit: number) {}

  take(key: string): boolean {
    const count = this.counts.get(key) ?? 0;
    if (count >= this.limit) return false;
    this.counts.set(key, count + 1);
    return true;
  }

  release(key: string): void {
    const count = (this.counts.get(key) ?? 1) - 1;
    if (count <= 0) this.counts.delete(key);
    else this.counts.set(key, count);
  }
}

/**
 * Closes TCP connections that do not finish an HTTP request or a WebSocket upgrade within
 * `timeoutMs`: sockets that connect and say nothing otherwise stay open for ever, and enough of
 * them fill the process's file table (then nobody can even reach /readyz). Once a request starts,
 * Node's own request and keep-alive timeouts take over; once upgraded, the heartbeat does.
 */
export function closeIdleHandshakes(server: Server, timeoutMs: number): void {
  server.headersTimeout = Math.max(timeoutMs, 1_000);
  server.requestTimeout = Math.max(server.headersTimeout + 1_000, 120_000);
  server.on('connection', (socket: Socket) => {
    socket.setTimeout(timeoutMs, () => socket.destroy());
  });
  server.prependListener('request', (request: IncomingMessage) => request.socket.setTimeout(0));
}

/**
 * A copy that owns exactly its bytes. `ws` may hand us views into pooled buffers, and lib0's
 * decoder slices the underlying ArrayBuffer, so a lying length prefix could read other data.
 */
function ownBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
  if (data instanceof ArrayBuffer) return new Uint8Array(data.slice(0));
  return new Uint8Array(data);
}

/**
 * `ws` answers a frame over `maxPayload` with close code 1009, which y-websocket retries forever,
 * re-sending the same frame. Close with the final 4413 first; `ws`'s own close then does nothing.
 */
function refuseOversizedFramesFinally(ws: WebSocket, connection: Connection, limit: number): void {
  const receiver = (ws as unknown as { _receiver?: NodeJS.EventEmitter })._receiver;
  receiver?.prependListener('error', (error: Error & { code?: string }) => {
    if (error.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') {
      connection.close(CloseCode.FrameTooLarge, `frame exceeds ${limit} bytes`);
    }
  });
}
