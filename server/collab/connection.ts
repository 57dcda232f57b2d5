import { CloseCode, decodeMessage, encodeKeepAlive, encodePermissionDenied, ProtocolError, type IncomingMessage } from '../../shared/protocol/index.js';

const KEEP_ALIVE = encodeKeepAlive();
import type { Room } from './room.js';
import { SOCKET_OPEN, type CollabLimits, type CollabSocket, type Grant, type Logger } from './types.js';

type State = 'pending' | 'open' | 'closed';

let nextConnectionId = 1;

/**
 * One client's socket on one document. Frames are queued until the connection is admitted to a
 * loaded room, so no client sees any state (not even an empty one) before the load finished.
 */
export class Connection {
  readonly id = nextConnectionId++;
  grant: Grant = { readOnly: true };
  room: Room | null = null;
  /** Awareness client ids this connection has published; removed for everyone when it leaves. */
  readonly awarenessIds = new Set<number>();
  private state: State = 'pending';
  private queue: Uint8Array[] = [];
  private overBufferSince = 0;
  private lastDenial = 0;
  private lastSent = Date.now();
  private readonly closeListeners: Array<() => void> = [];

  constructor(
    readonly socket: CollabSocket,
    readonly docName: string,
    private readonly limits: CollabLimits,
    private readonly log: Logger,
  ) {}

  get isOpen(): boolean {
    return this.state === 'open';
  }

  get isClosed(): boolean {
    return this.state === 'closed';
  }

  onClose(listener: () => void): void {
    this.closeListeners.push(listener);
  }

  /** Called by the transport for every frame, from the moment the socket exists. */
  receive(data: Uint8Array): void {
    if (this.state === 'closed') return;
    if (data.byteLength > this.limits.maxFrameBytes) {
      this.close(CloseCode.FrameTooLarge, `frame of ${data.byteLength} bytes exceeds ${this.limits.maxFrameBytes}`);
      return;
    }
    if (this.state === 'pending') {
      if (this.queue.length >= this.limits.maxQueuedFrames) {
        this.close(CloseCode.TooManyRequests, 'too many frames before the document loaded');
        return;
      }
      this.queue.push(data);
      return;
    }
    this.handle(data);
  }

  /** Joins a loaded room: the room sends the initial state, then queued frames are replayed in order. */
  open(room: Room): void {
    if (this.state !== 'pending') return;
    this.state = 'open';
    this.room = room;
    const queued = this.queue;
    this.queue = [];
    for (const frame of queued) {
      if (this.state !== 'open') return;
      this.handle(frame);
    }
  }

  private handle(data: Uint8Array): void {
    const room = this.room;
    if (!room) return;
    let message: IncomingMessage;
    try {
      message = decodeMessage(data);
    } catch (error) {
      this.reject(error as Error);
      return;
    }
    try {
      room.receive(this, message);
    } catch (error) {
      this.reject(error as Error);
    }
  }

  private reject(error: Error): void {
    const reason = error instanceof ProtocolError ? error.message : `rejected: ${error.message}`;
    this.log.warn({ doc: this.docName, conn: this.id, err: error.message }, 'closing connection after a bad frame');
    this.close(CloseCode.InvalidMessage, reason);
  }

  /** Tells a read-only client its write was dropped, at most once a second. */
  denyWrite(): void {
    const now = Date.now();
    if (now - this.lastDenial < 1_000) return;
    this.lastDenial = now;
    this.send(encodePermissionDenied(this.grant.readOnlyReason ?? 'read-only'));
  }

  send(data: Uint8Array): void {
    const socket = this.socket;
    if (this.state === 'closed' || socket.readyState !== SOCKET_OPEN) return;
    socket.send(data);
    this.lastSent = Date.now();
    const buffered = socket.bufferedAmount;
    if (buffered <= this.limits.maxBufferedBytes) {
      this.overBufferSince = 0;
      return;
    }
    // A reader that cannot keep up would otherwise grow server memory without bound.
    const now = Date.now();
    if (this.overBufferSince === 0) this.overBufferSince = now;
    if (buffered > 4 * this.limits.maxBufferedBytes || now - this.overBufferSince > this.limits.slowClientGraceMs) {
      this.log.warn({ doc: this.docName, conn: this.id, buffered }, 'disconnecting a client that reads too slowly');
      this.close(CloseCode.TryAgainLater, 'client too slow; reconnect');
      socket.terminate();
    }
  }

  /** Sends a keep-alive if this connection has been sent nothing for `keepAliveMs`. */
  keepAlive(now: number): void {
    if (this.state === 'open' && now - this.lastSent >= this.limits.keepAliveMs) this.send(KEEP_ALIVE);
  }

  close(code: number, reason: string): void {
    if (this.state === 'closed') return;
    try {
      this.socket.close(code, reason.slice(0, 120));
    } catch {
      this.socket.terminate();
    }
    this.closed();
  }

  /** The socket is gone (closed by either side). Idempotent. */
  closed(): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.queue = [];
    for (const listener of this.closeListeners.splice(0)) listener();
  }
}
