// One collaborative session document in the browser: the Y.Doc, its y-websocket provider, the
// IndexedDB copy that keeps offline edits across reloads, and the connection state the page shows.
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { IndexeddbPersistence, clearDocument } from 'y-indexeddb';
import type { Provider } from '@lexical/yjs';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { MessageType, SyncStep, isFinalClose, type ControlMessage } from '../../shared/protocol/index';
import { newDoc } from '../../shared/notes/client-id';
import { createStore, type Store } from './store';
import { mirrorDocument, type Mirror } from './mirror';
import { createMoveRescue, type MoveRescue } from './rescue';
import { UnsavedNotice } from './unsaved';
import { pagePresence } from './own-presence';

export type LinkStatus = 'connecting' | 'connected' | 'reconnecting' | 'offline' | 'closed';

export interface ConnectionState {
  status: LinkStatus;
  /**
   * Local edits (Yjs transactions made in this browser) the server has not yet confirmed, as the
   * page tells them: 0 while confirmations come in time (see client/collab/unsaved.ts), else all
   * of them. See `PendingTracker` for how confirmation works; survives reloads through localStorage.
   */
  unsaved: number;
  /** The server treats this connection as read-only (follower link, closed meeting). */
  readOnly: boolean;
  /** Why the connection is read-only or closed, as the server said it. */
  reason: string | null;
  /**
   * Full syncs with the server so far, one per connection: 0 until the first. Each is a new
   * connection that may have missed the server's pushes while the socket was down.
   */
  syncs: number;
}

/** The server refused a write of ours (we are read-only): `unsaved` edits it will never take. */
export interface WriteDenied {
  type: 'denied';
  reason: string;
  unsaved: number;
}

/** What a session tells its page: the server's control messages, and refused writes. */
export type SessionMessage = ControlMessage | WriteDenied;

export interface SessionOptions {
  /** Share token from the page URL, passed to the collaboration endpoint as `?token=`. */
  token?: string | null;
  /** A guest's display name (`?name=`); members are named by their session on the server. */
  guestName?: string | null;
  /** Keep a copy in IndexedDB (notetakers: offline edits survive a reload). */
  persist: boolean;
  /** Start read-only (the page knows the caller's role before connecting). */
  readOnly: boolean;
}

export interface Session {
  readonly docName: string;
  /** The document as synced with the server. */
  readonly doc: Y.Doc;
  /**
   * The document the editor binds to: `doc` itself for notetakers, a read-only mirror of it for
   * followers (client/collab/mirror.ts), so that nothing a follower's editor does reaches `doc`.
   */
  readonly view: Y.Doc;
  readonly provider: WebsocketProvider;
  readonly state: Store<ConnectionState>;
  /** Control messages the server pushes, and `denied` when it refused one of our writes. */
  onControl(listener: (message: SessionMessage) => void): () => void;
  /** Resolves once the IndexedDB copy (if any) has been loaded into the doc, after the editor connected. */
  readonly ready: Promise<void>;
  /** Drops the local copy (IndexedDB and the in-memory doc is no longer trusted): used after a refused write. */
  discardLocalCopy(): Promise<void>;
  destroy(): void;
}

/** Origin of transactions y-indexeddb applies when it loads stored updates. */
function isLocalOrigin(origin: unknown, provider: WebsocketProvider, persistence: IndexeddbPersistence | null): boolean {
  return origin !== provider && (persistence === null || origin !== persistence);
}

function collabServerUrl(): string {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${location.host}/collab`;
}

/**
 * Counts local edits until the server confirms them.
 *
 * y-websocket has no acknowledgements, but our server handles one connection's frames strictly in
 * order and persists an update before it reads the next frame. So after sending edits we send a
 * sync step 1 probe; the server's step 2 reply to it confirms every edit sent before the probe.
 * The server sends step 2 only in reply to a step 1, one for each, so replies are matched to
 * probes in order, after the one that answers y-websocket's opening step 1.
 */
class PendingTracker {
  private seq = 0;
  private confirmedSeq = 0;
  /** Local sequence number at each outstanding probe, oldest first. */
  private probes: number[] = [];
  /** Step-2 frames still expected on this socket that are not replies to our probes. */
  private handshakeRepliesLeft = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly storageKey: string,
    private readonly provider: WebsocketProvider,
    /** What the page says of the unconfirmed edits. */
    private readonly notice: UnsavedNotice,
    /** A read-only connection's edits are dropped by the server: its replies confirm nothing. */
    private readonly mayConfirm: () => boolean,
  ) {
    const stored = Number(localStorage.getItem(storageKey) ?? '0');
    // Edits left unconfirmed by an earlier page load count until this one confirms them.
    this.seq = Number.isFinite(stored) && stored > 0 ? stored : 0;
    notice.carried(this.seq);
  }

  get pending(): number {
    return this.seq - this.confirmedSeq;
  }

  localEdit(): void {
    this.seq++;
    this.notice.edited();
    this.changed();
    this.scheduleProbe();
  }

  socketOpened(): void {
    // The server answers each step 1 with one step 2: y-websocket's own opening step 1 is the
    // handshake's; every later one is a probe of ours.
    this.handshakeRepliesLeft = 1;
    this.probes = [];
  }

  synced(): void {
    if (this.pending > 0) this.scheduleProbe(0);
  }

  /** Called for each step 2 frame the server sends; returns nothing, only advances confirmation. */
  step2Received(): void {
    if (this.handshakeRepliesLeft > 0) {
      this.handshakeRepliesLeft--;
      return;
    }
    const confirmed = this.probes.shift();
    if (confirmed !== undefined && confirmed > this.confirmedSeq) {
      this.notice.confirmed(confirmed - this.confirmedSeq);
      this.confirmedSeq = confirmed;
      this.changed();
    }
    // Confirmation is cumulative, so one more probe settles any count left over (edits made
    // after the last probe, or a reply miscounted as the handshake's).
    if (this.pending > 0 && this.probes.length === 0) this.scheduleProbe();
  }

  private scheduleProbe(delay = 250): void {
    if (this.timer !== null) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.probe();
    }, delay);
  }

  private probe(): void {
    const ws = this.provider.ws;
    if (!this.provider.wsconnected || !this.provider.synced || ws === null || ws.readyState !== WebSocket.OPEN) return;
    if (this.pending === 0 || !this.mayConfirm()) return;
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, MessageType.Sync);
    encoding.writeVarUint(encoder, SyncStep.Step1);
    encoding.writeVarUint8Array(encoder, Y.encodeStateVector(this.provider.doc));
    this.probes.push(this.seq);
    ws.send(encoding.toUint8Array(encoder));
  }

  private changed(): void {
    if (this.pending === 0) {
      this.seq = 0;
      this.confirmedSeq = 0;
      this.probes = [];
      localStorage.removeItem(this.storageKey);
    } else {
      localStorage.setItem(this.storageKey, String(this.pending));
    }
  }

  destroy(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.notice.dispose();
  }
}

export function openSession(docName: string, options: SessionOptions): Session {
  // Every item typed here is held by the server too: a small client id keeps it unboxed there.
  const doc = newDoc();
  const params: Record<string, string> = {};
  if (options.token) params.token = options.token;
  if (options.guestName) params.name = options.guestName;
  const provider = new WebsocketProvider(collabServerUrl(), docName, doc, {
    // The CollaborationPlugin connects once its binding exists.
    connect: false,
    params,
    maxBackoffTime: 4000,
  });
  const stopPresence = pagePresence(provider);
  const storeName = `quorum:${docName}`;
  const mirror: Mirror | null = options.readOnly ? mirrorDocument(doc) : null;
  // A notetaker's own typing follows text that someone else moves at the same moment.
  const rescue: MoveRescue | null = options.readOnly ? null : createMoveRescue(doc, { isRemote: (origin) => origin === provider, awareness: provider.awareness });
  /**
   * The IndexedDB copy is loaded only once the editor's binding exists (its first connect()):
   * Lexical's binding renders changes it observes, not content already in the doc when it is made.
   */
  let persistence: IndexeddbPersistence | null = null;
  let resolveReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => (resolveReady = resolve));
  const connect = provider.connect.bind(provider);
  provider.connect = () => {
    if (options.persist && persistence === null) {
      persistence = new IndexeddbPersistence(storeName, doc);
      void persistence.whenSynced.then(() => resolveReady());
    } else if (!options.persist) resolveReady();
    // Offline, dialling is pointless until the browser says the network is back.
    if (navigator.onLine) connect();
    else {
      provider.shouldConnect = true;
      state.set({ status: 'offline' });
    }
  };
  const state = createStore<ConnectionState>({
    status: 'connecting',
    unsaved: 0,
    readOnly: options.readOnly,
    reason: null,
    syncs: 0,
  });
  const controlListeners = new Set<(message: SessionMessage) => void>();
  const notice = new UnsavedNotice({ show: (count) => state.set({ unsaved: count }) });
  // Until the first connection is up, or while one is, edits wait their turn; while the link is
  // down, every one of them is news.
  state.subscribe(() => {
    const { status } = state.get();
    notice.link(status === 'connecting' || status === 'connected');
  });
  const pending = new PendingTracker(`quorum:pending:${docName}`, provider, notice, () => !state.get().readOnly);

  // Sync frames: y-websocket applies them as usual, the rescue looks at what each update moved,
  // and step 2 frames confirm edits (see PendingTracker).
  const syncHandler = provider.messageHandlers[MessageType.Sync]!;
  provider.messageHandlers[MessageType.Sync] = (encoder, decoder, prov, emitSynced, messageType) => {
    const peek = decoding.clone(decoder);
    const step = decoding.readVarUint(peek);
    const apply = () => syncHandler(encoder, decoder, prov, emitSynced, messageType);
    if (step === SyncStep.Step1 || !rescue) apply();
    else rescue.receiving(decoding.readVarUint8Array(peek), apply);
    // Applied first, so a confirmed count never runs ahead of the applied state.
    if (step === SyncStep.Step2) pending.step2Received();
  };
  provider.messageHandlers[MessageType.Control] = (_encoder, decoder) => {
    let message: ControlMessage;
    try {
      message = JSON.parse(decoding.readVarString(decoder)) as ControlMessage;
    } catch {
      return;
    }
    if (message.type === 'access') state.set({ readOnly: message.readOnly === true, reason: typeof message.reason === 'string' ? message.reason : null });
    for (const listener of controlListeners) listener(message);
  };
  // "permission denied": the server dropped a write from us. We are read-only, whatever we thought.
  provider.messageHandlers[MessageType.Auth] = (_encoder, decoder) => {
    decoding.readVarUint(decoder);
    const reason = decoding.readVarString(decoder);
    state.set({ readOnly: true, reason });
    // `unsaved`: local edits the server will never take; the page drops them and reloads its copy.
    for (const listener of controlListeners) listener({ type: 'denied', reason, unsaved: pending.pending });
  };

  let hadConnection = false;
  provider.on('status', ({ status }) => {
    if (status === 'connected') {
      hadConnection = true;
      pending.socketOpened();
      state.set({ status: 'connected', reason: state.get().readOnly ? state.get().reason : null });
    } else if (status === 'connecting') {
      if (!navigator.onLine) state.set({ status: 'offline' });
      else state.set({ status: hadConnection ? 'reconnecting' : 'connecting' });
    } else if (state.get().status !== 'closed') {
      state.set({ status: navigator.onLine ? (provider.shouldConnect ? 'reconnecting' : 'offline') : 'offline' });
    }
  });
  provider.on('sync', (isSynced: boolean) => {
    if (!isSynced) return;
    state.set({ syncs: state.get().syncs + 1 });
    pending.synced();
  });
  provider.on('connection-close', (event) => {
    if (event && isFinalClose(event.code)) state.set({ status: 'closed', reason: event.reason || `closed (${event.code})` });
    // Retryable: say why (e.g. the server cannot save right now) until the next connection.
    else if (event?.reason) state.set({ reason: event.reason });
  });

  const onUpdate = (_update: Uint8Array, origin: unknown) => {
    if (isLocalOrigin(origin, provider, persistence)) pending.localEdit();
  };
  doc.on('update', onUpdate);

  // Browsers know before the socket does: stop dialling while offline, dial at once when back.
  const onOffline = () => {
    provider.disconnect();
    state.set({ status: 'offline' });
  };
  const onOnline = () => {
    if (state.get().status !== 'closed') connect();
  };
  window.addEventListener('offline', onOffline);
  window.addEventListener('online', onOnline);

  return {
    docName,
    doc,
    view: mirror?.view ?? doc,
    provider,
    state,
    ready,
    onControl(listener) {
      controlListeners.add(listener);
      return () => controlListeners.delete(listener);
    },
    async discardLocalCopy() {
      localStorage.removeItem(`quorum:pending:${docName}`);
      if (persistence) await persistence.clearData();
      else await clearDocument(storeName);
    },
    destroy() {
      window.removeEventListener('offline', onOffline);
      window.removeEventListener('online', onOnline);
      doc.off('update', onUpdate);
      pending.destroy();
      rescue?.dispose();
      mirror?.dispose();
      stopPresence();
      provider.destroy();
      if (persistence) void persistence.destroy();
      doc.destroy();
    },
  };
}

/**
 * Lexical's `Provider` type describes awareness more narrowly than y-protocols' Awareness class
 * (strict function types on `on`/`off` overloads), so WebsocketProvider is not assignable to it
 * although it implements it. This is the one cast, at the one place Lexical receives a provider.
 */
export function asLexicalProvider(provider: WebsocketProvider): Provider {
  return provider as unknown as Provider;
}
