/** The minimal socket the collaboration core needs; `ws`'s WebSocket satisfies it. */
export interface CollabSocket {
  readonly readyState: number;
  readonly bufferedAmount: number;
  send(data: Uint8Array): void;
  /** Several frames, in order, in one write where the transport can (else sent one by one). */
  sendAll?(frames: readonly Uint8Array[]): void;
  close(code: number, reason: string): void;
  terminate(): void;
  /**
   * Asks the peer to answer now (a WebSocket ping) and drops the socket if it has not answered
   * within `timeoutMs`. A transport without it leaves silent peers to its heartbeat.
   */
  probe?(timeoutMs: number): void;
}

export const SOCKET_OPEN = 1;

/** What authentication decided for one connection. Identity comes from the server, never the client. */
export interface Grant {
  readOnly: boolean;
  /** Why the connection is read-only, told to the client when it tries to write. */
  readOnlyReason?: string;
  user?: { id: string; name: string; kind: 'member' | 'guest' | 'anonymous' };
  /** Facts access control later selects connections by (meeting, link, user ids). */
  scope?: Record<string, string | number | undefined>;
}

export interface Logger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface CollabLimits {
  /** Largest accepted frame, in bytes. */
  maxFrameBytes: number;
  /** Frames a connection may send before its document has loaded. */
  maxQueuedFrames: number;
  /** A socket whose unsent buffer stays above this for `slowClientGraceMs` is disconnected. */
  maxBufferedBytes: number;
  slowClientGraceMs: number;
  /** How long a document stays loaded after its last client leaves. */
  idleUnloadMs: number;
  /** Update-log length past which a document's log is merged into its state. */
  compactThreshold: number;
  /** A connection sent nothing for this long gets a keep-alive frame. */
  keepAliveMs: number;
  /** Unsent bytes over all sockets: past it, the slowest reader is dropped (memory, not fairness). */
  maxBufferedTotalBytes: number;
  /** A document may not grow past this (stored state plus log); larger updates are refused. */
  maxDocumentBytes: number;
  /** One client's presence state (a name, a colour, a caret) may not be larger than this. */
  maxAwarenessBytes: number;
  /** Presence messages a connection may send per second, on average (bursts of five times that). */
  awarenessPerSecond: number;
  /**
   * How long the answer to a reconnecting client's step 1 waits for its step 2, which says what
   * it holds of the deletions; a client that never sends one is then answered the standard way.
   */
  handshakeReplyWaitMs: number;
  /**
   * How long a message of the server's own (an action list) waits for the room's next edit or
   * presence change, to be sent in the same socket writes (Room.announce).
   */
  announcementWaitMs: number;
  /**
   * Several processes (PostgreSQL): a document loaded here at least this long is handed to
   * another process that is asked for it (its router sends the document's clients there now).
   * Below it the request is refused, so that two processes both reached by misrouted clients
   * do not pass a document back and forth.
   */
  handoffAfterMs: number;
  /**
   * A connection claims presence that another connection holds (a client back on a new
   * connection while its old one is silent but not yet closed: a laptop that changed networks).
   * The holder is asked to answer within this, and dropped if it does not.
   */
  holderProbeMs: number;
}

export const DEFAULT_LIMITS: CollabLimits = {
  maxFrameBytes: 8 * 1024 * 1024,
  maxQueuedFrames: 1024,
  maxBufferedBytes: 16 * 1024 * 1024,
  slowClientGraceMs: 5_000,
  idleUnloadMs: 30_000,
  compactThreshold: 500,
  keepAliveMs: 15_000,
  maxBufferedTotalBytes: 256 * 1024 * 1024,
  maxDocumentBytes: 32 * 1024 * 1024,
  maxAwarenessBytes: 8 * 1024,
  awarenessPerSecond: 30,
  handshakeReplyWaitMs: 1_000,
  announcementWaitMs: 100,
  handoffAfterMs: 10_000,
  holderProbeMs: 10_000,
};

/** What the core reports as it works, for metrics. Every method is cheap and optional. */
export interface CollabObserver {
  /** An update was stored (and then applied). */
  stored?(bytes: number): void;
  /** An update was refused because it could not be stored. */
  refused?(): void;
  /** A connection was sent changes, the oldest of which arrived `seconds` ago. */
  relayed?(seconds: number): void;
}
