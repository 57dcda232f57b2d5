import * as Y from 'yjs';
import { CloseCode, decodeMessage, encodeKeepAlive, encodePermissionDenied, MessageType, ProtocolError, SyncStep, type IncomingMessage } from '../../shared/protocol/index.js';

const KEEP_ALIVE = encodeKeepAlive();
import type { Room } from './room.js';
import { SOCKET_OPEN, type CollabLimits, type CollabSocket, type Grant, type Logger } from './types.js';

type State = 'pending' | 'open' | 'closed';

/**
 * Unsent bytes over all connections. Each connection reports what its socket holds whenever it
 * sends (a stalled reader's count is exact: it does not drain; a draining one's is at most one
 * send stale); past the ceiling, the budget drops the reader that holds the most.
 */
export interface BufferBudget {
  add(connection: Connection, delta: number): void;
}

const UNLIMITED_BUDGET: BufferBudget = { add() {} };

let nextConnectionId = 1;

/**
 * What a presence message that is dropped costs against the limit (Connection.admitPresence). A
 * stock y-websocket page sends back one for each presence frame it is sent, and the relay sends
 * a page at most one a round, so even in a big meeting a page sends back fewer than ten times the
 * limit a second: only a flood runs the bucket dry at this price.
 */
export const DROPPED_PRESENCE_COST = 0.1;

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
  /** Unsent bytes as last seen, and when the socket was last seen draining. */
  private buffered = 0;
  private lastDrained = Date.now();
  /** Presence messages this connection may still send now (refilled over time). */
  private presenceTokens: number;
  private presenceAt = Date.now();
  private lastDenial = 0;
  private lastSent = Date.now();
  private readonly closeListeners: Array<() => void> = [];

  constructor(
    readonly socket: CollabSocket,
    readonly docName: string,
    private readonly limits: CollabLimits,
    private readonly log: Logger,
    private readonly budget: BufferBudget = UNLIMITED_BUDGET,
  ) {
    this.presenceTokens = 5 * limits.awarenessPerSecond;
  }

  /** Unsent bytes of this socket as last seen. */
  get bufferedBytes(): number {
    return this.buffered;
  }

  /** Since when this socket, over its cap, has not been seen reading (0: it is under its cap). */
  get stalledSince(): number {
    return this.overBufferSince === 0 ? 0 : this.lastDrained;
  }

  /**
   * What becomes of a presence message, `own` when it carries this connection's own presence:
   * a token bucket of five seconds' worth at `awarenessPerSecond`. Its own presence costs a token
   * and is relayed while there is one. Anything else is dropped at a tenth of a token
   * (DROPPED_PRESENCE_COST): the others' states that a stock y-websocket page sends back, one for
   * each presence frame it is sent, and its own beyond the rate (a key held down moves the caret
   * 30 to 50 times a second), which then loses some caret moves, never its connection. Only a
   * flood, over ten times the rate, runs the bucket into a debt of another five seconds' worth,
   * and the connection is closed.
   */
  admitPresence(own: boolean, now = Date.now()): 'relay' | 'drop' | 'flood' {
    const rate = this.limits.awarenessPerSecond;
    this.presenceTokens = Math.min(5 * rate, this.presenceTokens + ((now - this.presenceAt) / 1000) * rate);
    this.presenceAt = now;
    if (own && this.presenceTokens >= 1) {
      this.presenceTokens -= 1;
      return 'relay';
    }
    this.presenceTokens -= DROPPED_PRESENCE_COST;
    return this.presenceTokens < -5 * rate ? 'flood' : 'drop';
  }

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
      if (this.queue.length === 0 && this.answerEarly) {
        const vector = step1Vector(data);
        if (vector !== null && this.answerEarly(this, vector)) return;
      }
      if (this.queue.length >= this.limits.maxQueuedFrames) {
        this.close(CloseCode.TooManyRequests, 'too many frames before the document loaded');
        return;
      }
      this.queue.push(data);
      return;
    }
    this.handle(data);
  }

  /**
   * The state vector of the client's opening step 1, if that is the first frame waiting: taken
   * out of the queue, for the caller to answer (RoomRegistry serves waiting clients during a load).
   */
  takeQueuedStep1(): Uint8Array | null {
    const first = this.queue[0];
    if (this.state !== 'pending' || first === undefined) return null;
    const vector = step1Vector(first);
    if (vector !== null) this.queue.shift();
    return vector;
  }

  /**
   * Answers a step 1 that arrives while the document loads, before anything else the client
   * sent, instead of queueing it (RoomRegistry: the stored document is at hand before it is
   * decoded). True when answered.
   */
  answerEarly: ((connection: Connection, vector: Uint8Array) => boolean) | null = null;

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
    this.write(data);
  }

  /** Several frames in order, in one write where the socket can. */
  sendAll(frames: readonly Uint8Array[]): void {
    this.write(frames.length === 1 ? frames[0]! : frames);
  }

  private write(data: Uint8Array | readonly Uint8Array[]): void {
    const socket = this.socket;
    if (this.state === 'closed' || socket.readyState !== SOCKET_OPEN) return;
    const now = Date.now();
    // Anything less than last time means the reader is reading.
    if (socket.bufferedAmount < this.buffered) this.lastDrained = now;
    if (data instanceof Uint8Array) socket.send(data);
    else if (socket.sendAll) socket.sendAll(data);
    else for (const frame of data) socket.send(frame);
    this.lastSent = now;
    this.account(socket.bufferedAmount);
    if (this.buffered <= this.limits.maxBufferedBytes) {
      this.overBufferSince = 0;
      this.lastDrained = now;
      return;
    }
    // A reader that cannot keep up would otherwise grow server memory without bound: one over
    // its cap that has not read anything for a grace period is dropped, one far over it at once,
    // and the registry's ceiling over all sockets drops the longest-stalled first (BufferBudget).
    if (this.overBufferSince === 0) {
      this.overBufferSince = now;
      this.lastDrained = now;
    }
    if (this.buffered > 4 * this.limits.maxBufferedBytes || now - this.lastDrained > this.limits.slowClientGraceMs) {
      this.dropSlowReader();
    }
  }

  /** Closes a reader whose unsent data is too much for the server to hold; it may reconnect. */
  dropSlowReader(): void {
    if (this.state === 'closed') return;
    this.log.warn({ doc: this.docName, conn: this.id, buffered: this.buffered }, 'disconnecting a client that reads too slowly');
    this.close(CloseCode.TryAgainLater, 'client too slow; reconnect');
    this.socket.terminate();
  }

  private account(buffered: number): void {
    this.budget.add(this, buffered - this.buffered);
    this.buffered = buffered;
  }

  /** Another connection claims presence this one holds: this one must show it is still there. */
  probe(): void {
    if (this.state !== 'closed') this.socket.probe?.(this.limits.holderProbeMs);
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
    this.account(0);
    for (const listener of this.closeListeners.splice(0)) listener();
  }
}

/** The state vector of a sync step 1 frame; null for any other frame, or a malformed one (refused in order later). */
function step1Vector(frame: Uint8Array): Uint8Array | null {
  if (frame[0] !== MessageType.Sync || frame[1] !== SyncStep.Step1) return null;
  try {
    const message = decodeMessage(frame);
    if (message.type !== MessageType.Sync || message.step !== SyncStep.Step1) return null;
    Y.decodeStateVector(message.payload);
    return message.payload;
  } catch {
    return null;
  }
}
