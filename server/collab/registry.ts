import * as Y from 'yjs';
import { isAsyncStore, type AnyDocumentStore, type AsyncDocumentStore, type StoredDocument } from '../persistence/document-store.js';
import type { CollabExtension } from './extension.js';
import { newDoc } from '../../shared/notes/client-id.js';
import { CloseCode, encodeControl, encodePermissionDenied, encodeSyncStep2, type ControlMessage } from '../../shared/protocol/index.js';
import { Connection, type BufferBudget } from './connection.js';
import { isEmptyStateVector, LOAD_ORIGIN, Room, type RoomEvents } from './room.js';
import { DEFAULT_LIMITS, type CollabLimits, type CollabObserver, type CollabSocket, type Grant, type Logger } from './types.js';

/**
 * How long one turn of the event loop may spend relaying before it reads sockets again: in a
 * meeting of a thousand, relaying one edit takes a socket write per participant, ~10 ms here.
 */
const FLUSH_TURN_MS = 1;
/** A stored document at least this large waits up to EARLY_ANSWER_WAIT_MS for joiners' step 1 before it is decoded. */
const EARLY_ANSWER_MIN_BYTES = 64 * 1024;
const EARLY_ANSWER_WAIT_MS = 30;
/** ...and up to this long for those answers to leave the process before decoding. */
const EARLY_ANSWER_DRAIN_MS = 250;
/** While the store fails, how often it is tried again (held-back changes, else a probe write). */
const STORAGE_RETRY_MS = 1_000;

/** Why the store cannot write, since when: /readyz and the logs say it, metrics count it. */
export interface StorageFailure {
  reason: string;
  since: number;
  /** Updates refused or held back since the failure began. */
  refused: number;
}

/** Another process owns the document (PostgreSQL deployments, after a topology change). */
export class OwnedElsewhereError extends Error {
  constructor(name: string) {
    super(`document ${name} is still open on another server`);
  }
}

export interface RegistryOptions {
  store: AnyDocumentStore;
  logger: Logger;
  limits?: Partial<CollabLimits>;
  observer?: CollabObserver;
}

/**
 * Every loaded document, by name. A document is loaded at most once at a time (concurrent first
 * connections share one load), stays while anyone is connected, and is written and dropped after
 * an idle delay. Nothing is dropped before its state is written.
 */
export class RoomRegistry {
  readonly limits: CollabLimits;
  private readonly rooms = new Map<string, Room>();
  private readonly loading = new Map<string, Promise<Room>>();
  private readonly earlyLoads = new Map<string, EarlyLoad>();
  private readonly dirty = new Set<Room>();
  /** Admitted connections whose document is still loading: access changes must reach them too. */
  private readonly waiting = new Set<Connection>();
  private flushScheduled = false;
  private closing = false;
  private failure: StorageFailure | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private readonly store: AnyDocumentStore;
  private readonly log: Logger;
  private extensions: readonly CollabExtension[] = [];
  private extended = false;
  private readonly events: RoomEvents;
  /**
   * Several processes: a client asked for a document another process owns. The cluster layer
   * asks that process to hand it over (see handOff); at most once a second per document.
   */
  onOwnedElsewhere: ((name: string) => void) | null = null;
  private readonly askedFor = new Map<string, number>();

  constructor(options: RegistryOptions) {
    this.store = options.store;
    this.log = options.logger;
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    const observer = options.observer ?? {};
    this.events = {
      store: (room, update) => {
        this.store.append(room.name, update);
        room.logLength++;
        room.bytes += update.byteLength;
        observer.stored?.(update.byteLength);
        if (this.failure) this.recovered();
      },
      changed: (room, update, origin) => {
        for (const extension of this.extensions) extension.onChange?.(room, update, origin);
      },
      storageFailed: (room, error, connection) => {
        observer.refused?.();
        this.storageFailed(room, error, connection);
      },
      ...(observer.relayed ? { delivered: (seconds: number) => observer.relayed!(seconds) } : {}),
      scheduleFlush: (room) => {
        this.dirty.add(room);
        if (!this.flushScheduled) {
          this.flushScheduled = true;
          setImmediate(this.flush);
        }
      },
      connectionLeft: (room) => {
        if (room.connections.size === 0) this.scheduleUnload(room);
      },
    };
    if (isAsyncStore(this.store)) {
      this.events.asyncStore = this.asyncCommits(this.store, observer);
      this.store.onOwnershipLost = () => this.ownershipLost();
    }
  }

  /**
   * The database no longer knows this process owns its documents (the connection holding the
   * locks ended): another process may load them now, so this one must stop serving them. Every
   * update was committed before anyone saw it; what is queued is committed, then the rooms go
   * (unwritten: compacting could delete rows a new owner has appended), and their clients
   * reconnect to whichever process owns each document next.
   */
  private ownershipLost(): void {
    const rooms = [...this.rooms.values()];
    if (rooms.length === 0) return;
    this.log.error({ documents: rooms.length }, 'lost the database connection holding document ownership; handing the documents back');
    for (const room of rooms) {
      // Gone from the map at once: a client that comes back loads the document afresh (after
      // this room is dropped), owning it again, or is told to retry while another process does.
      this.rooms.delete(room.name);
      if (room.unloadTimer) clearTimeout(room.unloadTimer);
      for (const connection of [...room.connections]) connection.close(CloseCode.TryAgainLater, 'the server lost its hold on this document; reconnecting');
      const dropped = room
        .settled()
        .then(() => this.drop(room))
        .finally(() => this.unloading.delete(room));
      this.unloading.set(room, dropped);
    }
  }

  /** Commits and compactions through an asynchronous store (see CommitQueue). */
  private asyncCommits(store: AsyncDocumentStore, observer: CollabObserver): NonNullable<RoomEvents['asyncStore']> {
    return {
      commit: async (room, updates) => {
        await store.appendMany(room.name, updates);
        room.logLength += updates.length;
        for (const update of updates) {
          room.bytes += update.byteLength;
          observer.stored?.(update.byteLength);
        }
        if (this.failure) this.recovered();
      },
      compact: async (room) => {
        const state = Y.encodeStateAsUpdate(room.doc);
        const logLength = room.logLength;
        try {
          await store.compact(room.name, state);
        } catch (error) {
          this.log.error({ doc: room.name, err: (error as Error).message }, 'compaction failed; the log is kept');
          throw error;
        }
        // Only compactions run while none of the room's commits is in flight (CommitQueue).
        room.logLength -= logLength;
        room.bytes = state.byteLength;
      },
    };
  }

  /**
   * The layers built on the core, in the order their hooks run. Given once, before the first
   * document loads: what runs on a document never changes while it is loaded.
   */
  useExtensions(extensions: readonly CollabExtension[]): void {
    if (this.extended || this.rooms.size > 0 || this.loading.size > 0) throw new Error('collaboration extensions are given once, before any document loads');
    this.extended = true;
    this.extensions = [...extensions];
  }

  /** Why the store cannot write right now, or null while it can. */
  get storageFailure(): StorageFailure | null {
    return this.failure;
  }

  private storageFailed(room: Room, error: Error, connection: Connection | null): void {
    const reason = storageReason(error);
    if (!this.failure) {
      this.failure = { reason, since: Date.now(), refused: 0 };
      this.log.error({ doc: room.name, err: error.message }, 'cannot store document updates; refusing edits until storage works again');
    }
    this.failure.refused++;
    // Retryable: y-websocket reconnects, and its sync sends the edit it kept once more.
    connection?.close(CloseCode.TryAgainLater, `the server cannot save right now (${reason}); your edits are kept and will be sent again`);
    if (!this.retryTimer) {
      this.retryTimer = setInterval(this.retryStorage, STORAGE_RETRY_MS);
      this.retryTimer.unref();
    }
  }

  /** Stores what was held back, or probes, until the store writes again. */
  private readonly retryStorage = (): void => {
    if (isAsyncStore(this.store)) {
      void this.retryAsyncStorage(this.store);
      return;
    }
    try {
      let heldBack = false;
      for (const room of this.rooms.values()) {
        if (room.unstored.length === 0) continue;
        heldBack = true;
        room.storeHeldBack();
      }
      if (!heldBack) this.store.probe();
      this.recovered();
    } catch (error) {
      if (this.failure) this.failure.reason = storageReason(error as Error);
    }
  };

  private retrying = false;
  private async retryAsyncStorage(store: AsyncDocumentStore): Promise<void> {
    if (this.retrying) return;
    this.retrying = true;
    try {
      const held = [...this.rooms.values()].filter((room) => room.holdsUnstored);
      if (held.length === 0) await store.probe();
      for (const room of held) await room.resumeCommits();
      this.recovered();
    } catch (error) {
      if (this.failure) this.failure.reason = storageReason(error as Error);
    } finally {
      this.retrying = false;
    }
  }

  private recovered(): void {
    if (!this.failure) return;
    // Held-back changes first (the retry timer stores them in order), then it is over.
    for (const room of this.rooms.values()) if (room.holdsUnstored) return;
    this.log.warn({ refused: this.failure.refused, ms: Date.now() - this.failure.since }, 'storage works again; accepting edits');
    this.failure = null;
    if (this.retryTimer) clearInterval(this.retryTimer);
    this.retryTimer = null;
  }

  /** Unsent bytes over every socket, as last seen (see BufferBudget). */
  private buffered = 0;
  private readonly budget: BufferBudget = {
    add: (connection, delta) => {
      this.buffered += delta;
      if (delta > 0 && this.buffered > this.limits.maxBufferedTotalBytes) this.shedSlowestReader(connection);
    },
  };

  /** Bytes waiting in sockets for their readers, over all connections. */
  get bufferedBytes(): number {
    return this.buffered;
  }

  /**
   * Over the memory ceiling: the reader that has gone longest without reading goes (among
   * readers over their own cap; else the one holding the most). It may reconnect.
   */
  private shedSlowestReader(candidate: Connection): void {
    const worse = (a: Connection, b: Connection): boolean => {
      const [sa, sb] = [a.stalledSince, b.stalledSince];
      if ((sa !== 0) !== (sb !== 0)) return sa !== 0;
      if (sa !== sb) return sa < sb;
      return a.bufferedBytes > b.bufferedBytes;
    };
    let slowest = candidate;
    for (const connection of this.admitted()) if (connection.bufferedBytes > 0 && worse(connection, slowest)) slowest = connection;
    this.log.warn({ total: this.buffered, limit: this.limits.maxBufferedTotalBytes }, 'unsent data over the ceiling; dropping the slowest reader');
    slowest.dropSlowReader();
  }

  /** A connection for a socket that has just opened; attach the transport's frames to it at once. */
  connect(socket: CollabSocket, docName: string): Connection {
    const connection = new Connection(socket, docName, this.limits, this.log, this.budget);
    connection.answerEarly = (waiting, vector) => {
      const early = this.earlyLoads.get(waiting.docName);
      if (!early || !this.waiting.has(waiting)) return false;
      answerEarly(early, waiting, vector);
      return true;
    };
    return connection;
  }

  /** Admits an authenticated connection: it is sent the document once the document has loaded. */
  async admit(connection: Connection, grant: Grant): Promise<void> {
    connection.grant = grant;
    if (this.closing) {
      connection.close(CloseCode.GoingAway, 'server shutting down');
      return;
    }
    let room: Room;
    this.waiting.add(connection);
    try {
      room = await this.open(connection.docName);
    } catch (error) {
      if (error instanceof OwnedElsewhereError) {
        // Its previous server still holds it (HAProxy moved the document): the client retries,
        // and that server is asked to let go.
        this.log.info({ doc: connection.docName }, 'document still owned by another server; asking the client to retry');
        connection.close(CloseCode.TryAgainLater, 'the document is moving to another server; reconnecting');
        this.askForDocument(connection.docName);
        return;
      }
      this.log.error({ doc: connection.docName, err: (error as Error).message }, 'document failed to load');
      if (isAsyncStore(this.store)) {
        // A database across the network fails for a while (a restart, a failover): come back.
        connection.close(CloseCode.TryAgainLater, `the document cannot be loaded right now (${storageReason(error as Error)}); reconnecting`);
      } else {
        connection.close(1011, 'document failed to load');
      }
      return;
    } finally {
      this.waiting.delete(connection);
    }
    if (connection.isClosed) {
      if (room.connections.size === 0) this.scheduleUnload(room);
      return;
    }
    if (room.unloadTimer) {
      clearTimeout(room.unloadTimer);
      room.unloadTimer = null;
    }
    connection.onClose(() => room.leave(connection));
    room.join(connection);
  }

  private askForDocument(name: string): void {
    if (!this.onOwnedElsewhere) return;
    const now = performance.now();
    if (now - (this.askedFor.get(name) ?? -Infinity) < 1_000) return;
    if (this.askedFor.size > 10_000) this.askedFor.clear();
    this.askedFor.set(name, now);
    this.onOwnedElsewhere(name);
  }

  /**
   * Another process was asked for a document loaded here (its router now sends the document's
   * clients there): if it has been here at least `handoffAfterMs`, its clients are told to come
   * back (1013; they reconnect through the router) and it is written and released. Returns the
   * connections closed.
   */
  handOff(name: string): number {
    const room = this.rooms.get(name);
    if (!room || performance.now() - room.loadedAt < this.limits.handoffAfterMs) return 0;
    const connections = [...room.connections];
    for (const connection of connections) {
      connection.close(CloseCode.TryAgainLater, 'the document moved to another server; reconnecting');
      // Gone from the room now, not when the socket's close arrives: the unload must not wait.
      room.leave(connection);
    }
    this.log.info({ doc: name, connections: connections.length }, 'handing a document over to the server now asked for it');
    this.unload(room);
    return connections.length;
  }

  /** The loaded room for a name, loading it once however many callers ask at the same time. */
  open(name: string): Promise<Room> {
    const loaded = this.rooms.get(name);
    if (loaded) return Promise.resolve(loaded);
    return this.loading.get(name) ?? this.track(name, this.load(name));
  }

  /** A load under way: every caller asking for the document meanwhile shares it. */
  private track(name: string, load: Promise<Room>): Promise<Room> {
    const pending = load.finally(() => this.loading.delete(name));
    this.loading.set(name, pending);
    return pending;
  }

  private async load(name: string): Promise<Room> {
    const store = this.store;
    if (!isAsyncStore(store)) return this.loadStored(name, store.load(name));
    // Its last unload here must have released it before it is owned again.
    for (const [room, unloading] of this.unloading) if (room.name === name) await unloading;
    if (!(await store.own(name))) throw new OwnedElsewhereError(name);
    try {
      return await this.loadStored(name, await store.load(name));
    } catch (error) {
      await store.release(name).catch(() => {});
      throw error;
    }
  }

  private async loadStored(name: string, stored: StoredDocument): Promise<Room> {
    const waiting = [...this.waiting].filter((connection) => connection.docName === name && !connection.isClosed);
    // Merging log rows costs about as much as decoding them: only for someone waiting.
    const whole = stored.updates.length === 0 || waiting.length > 0 ? wholeDocument(stored) : null;
    // Clients waiting for the load get the stored document as the answer to their step 1 at once,
    // and decode it while the server does (those whose step 1 comes later, as it comes).
    const early: EarlyLoad | null = whole ? { whole, everything: null, served: [], room: null, storedVector: null } : null;
    if (early) {
      this.earlyLoads.set(name, early);
      for (const connection of waiting) {
        const vector = connection.takeQueuedStep1();
        if (vector !== null) answerEarly(early, connection, vector);
      }
    }
    if (early && early.whole.byteLength >= EARLY_ANSWER_MIN_BYTES && early.served.length < waiting.length) {
      // Their step 1 is usually still on its way (a client sends it once its socket is open): a
      // long meeting takes a fifth of a second and more to decode, so wait a moment for it and
      // answer it from the stored bytes first; the client decodes while the server does.
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, EARLY_ANSWER_WAIT_MS);
        early.onServed = () => {
          if (early.served.length < waiting.filter((connection) => !connection.isClosed).length) return;
          clearTimeout(timer);
          resolve();
        };
      });
      early.onServed = null;
      // What was answered mostly still sits in the sockets' buffers: the kernel takes it as soon
      // as the event loop runs, which it does not while the decode holds the thread.
      const deadline = performance.now() + EARLY_ANSWER_DRAIN_MS;
      while (early.served.some((connection) => !connection.isClosed && connection.socket.bufferedAmount > 0) && performance.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
    }
    // The server's own edits (action ids, agenda headings, ticks) go in under a small client id.
    const doc = newDoc();
    let intact = true;
    doc.transact(() => {
      if (stored.state) intact = applyStored(doc, stored.state, name, this.log) && intact;
      for (const update of stored.updates) intact = applyStored(doc, update, name, this.log) && intact;
    }, LOAD_ORIGIN);
    const room = new Room(name, doc, this.events, this.limits);
    room.logLength = stored.updates.length;
    room.bytes = (stored.state?.byteLength ?? 0) + stored.updates.reduce((sum, update) => sum + update.byteLength, 0);
    if (early && intact) {
      early.storedVector = Y.encodeStateVector(doc);
      room.sentWhileLoading(early.served, early.storedVector);
      early.room = room;
      // Joiners get the document as read until it changes, without encoding it again.
      room.rememberFullState(early.whole);
    } else if (early) {
      // They may hold part of a damaged row; a reconnect syncs them with what could be read.
      this.earlyLoads.delete(name);
      for (const connection of early.served) connection.close(1011, 'document loaded with errors; reconnect');
    }
    try {
      for (const extension of this.extensions) await extension.onLoad?.(room);
    } catch (error) {
      room.destroy();
      throw error;
    } finally {
      if (this.earlyLoads.get(name) === early) this.earlyLoads.delete(name);
    }
    this.rooms.set(name, room);
    this.log.debug({ doc: name, updates: stored.updates.length }, 'document loaded');
    // Nobody may have joined by the time a slow load finishes; make sure it still unloads.
    queueMicrotask(() => {
      if (room.connections.size === 0) this.scheduleUnload(room);
    });
    return room;
  }

  /**
   * Relays every dirty room's changes, for at most FLUSH_TURN_MS per turn of the event loop:
   * in between, incoming frames are read, applied and stored, and join the changes being
   * relayed. A room left unfinished goes to the back of the line.
   */
  private readonly flush = (): void => {
    this.flushScheduled = false;
    const deadline = performance.now() + FLUSH_TURN_MS;
    for (const room of [...this.dirty]) {
      this.dirty.delete(room);
      if (this.flushRoom(room, deadline)) this.dirty.add(room);
      if (performance.now() >= deadline) break;
    }
    if (this.dirty.size > 0 && !this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(this.flush);
    }
  };

  /** Returns whether the room has more to send. */
  private flushRoom(room: Room, deadline: number): boolean {
    try {
      const more = room.flush(deadline);
      if (room.logLength >= this.limits.compactThreshold) {
        if (isAsyncStore(this.store)) room.compactSoon();
        else this.compact(room);
      }
      return more;
    } catch (error) {
      this.log.error({ doc: room.name, err: (error as Error).message }, 'flush failed');
      return false;
    }
  }

  /** Merges the log into one state, in one transaction (a synchronous store's). */
  private compact(room: Room): void {
    if (isAsyncStore(this.store)) throw new Error('an asynchronous store compacts through the room’s commit queue');
    const state = Y.encodeStateAsUpdate(room.doc);
    this.store.compact(room.name, state);
    room.logLength = 0;
    room.bytes = state.byteLength;
  }

  private scheduleUnload(room: Room): void {
    if (room.unloadTimer || this.rooms.get(room.name) !== room) return;
    room.unloadTimer = setTimeout(() => {
      room.unloadTimer = null;
      if (room.connections.size === 0) this.unload(room);
    }, this.limits.idleUnloadMs);
    room.unloadTimer.unref();
  }

  private unload(room: Room, { write = true } = {}): void {
    if (isAsyncStore(this.store)) {
      void this.unloadAsync(room, this.store, write);
      return;
    }
    if (this.rooms.get(room.name) !== room) return;
    if (room.unloadTimer) clearTimeout(room.unloadTimer);
    room.unloadTimer = null;
    if (write) {
      room.flush();
      try {
        if (room.unstored.length > 0) room.storeHeldBack();
        if (room.logLength > 0) this.compact(room);
      } catch (error) {
        // Not written: it stays loaded (nothing is dropped before it is written) and is tried again.
        this.log.error({ doc: room.name, err: (error as Error).message }, 'could not write a document before unloading it; keeping it loaded');
        if (!this.closing) this.scheduleUnload(room);
        return;
      }
    }
    this.drop(room);
  }

  /**
   * Unloading from an asynchronous store: what is queued is committed and the log compacted
   * before the document is dropped and its ownership released. Someone may join while that
   * runs; then it stays.
   */
  private readonly unloading = new Map<Room, Promise<void>>();
  private unloadAsync(room: Room, store: AsyncDocumentStore, write: boolean): Promise<void> {
    let pending = this.unloading.get(room);
    if (pending) return pending;
    pending = (async () => {
      if (this.rooms.get(room.name) !== room) return;
      if (room.unloadTimer) clearTimeout(room.unloadTimer);
      room.unloadTimer = null;
      if (write) {
        room.flush();
        if (room.logLength > 0) room.compactSoon();
        await room.settled();
        if (!room.committedAll || room.holdsUnstored) {
          this.log.error({ doc: room.name }, 'could not write a document before unloading it; keeping it loaded');
          if (!this.closing) this.scheduleUnload(room);
          return;
        }
        if (room.connections.size > 0 && !this.closing) return;
      }
      this.drop(room);
      await store.release(room.name).catch((error: Error) => this.log.warn({ doc: room.name, err: error.message }, 'could not release a document’s ownership'));
    })().finally(() => this.unloading.delete(room));
    this.unloading.set(room, pending);
    return pending;
  }

  /** Forgets a written (or discarded) room: the extensions are told, then it is destroyed. */
  private drop(room: Room): void {
    this.rooms.delete(room.name);
    this.dirty.delete(room);
    try {
      for (const extension of this.extensions) {
        try {
          extension.onUnload?.(room);
        } catch (error) {
          this.log.error({ doc: room.name, extension: extension.name, err: (error as Error).message }, 'extension failed while a document unloaded');
        }
      }
    } finally {
      room.destroy();
    }
    this.log.debug({ doc: room.name }, 'document unloaded');
  }

  get(name: string): Room | undefined {
    return this.rooms.get(name);
  }

  loadedNames(): string[] {
    return [...this.rooms.keys()];
  }

  /** The loaded documents, those with people connected first, the most people first. */
  inUse(): string[] {
    return [...this.rooms.values()].sort((a, b) => b.connections.size - a.connections.size).map((room) => room.name);
  }

  /**
   * Loads a document that was open when the server last stopped (warm-restart.ts), before anyone
   * asks for it: only one stored here, not loaded yet, and never from an asynchronous store
   * (several servers share it, and another may own the document by now). Whether it loaded one.
   */
  async reopen(name: string): Promise<boolean> {
    const store = this.store;
    if (isAsyncStore(store) || this.closing || this.rooms.has(name) || this.loading.has(name)) return false;
    const stored = store.load(name);
    if (stored.state === null && stored.updates.length === 0) return false;
    const room = await this.track(name, this.loadStored(name, stored));
    for (const extension of this.extensions) {
      try {
        await extension.onReopen?.(room);
      } catch (error) {
        // Open all the same: what the extension put off runs as it would after any load.
        this.log.warn({ doc: name, extension: extension.name, err: (error as Error).message }, 'could not prepare a reopened document');
      }
    }
    return true;
  }

  /** Open connections (joined or waiting) counted by a label of their grant, e.g. their role. */
  countConnections(label: (grant: Grant) => string): Map<string, number> {
    const counts = new Map<string, number>();
    for (const connection of this.admitted()) {
      const key = label(connection.grant);
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    return counts;
  }

  /** Update-log entries of the loaded documents since their last compaction. */
  loadedLogLength(): number {
    let entries = 0;
    for (const room of this.rooms.values()) entries += room.logLength;
    return entries;
  }

  stats(): { documents: number; connections: number } {
    let connections = 0;
    for (const room of this.rooms.values()) connections += room.connections.size;
    return { documents: this.rooms.size, connections };
  }

  /** Keeps idle clients from timing out; see encodeKeepAlive. */
  keepAlive(now = Date.now()): void {
    for (const room of this.rooms.values()) for (const connection of room.connections) connection.keepAlive(now);
  }

  /** Every admitted connection, joined or still waiting for its document to load. */
  private *admitted(): Iterable<Connection> {
    for (const room of this.rooms.values()) yield* room.connections;
    yield* this.waiting;
  }

  /** Closes every connection whose grant matches, e.g. those admitted by a revoked link. */
  closeWhere(match: (grant: Grant, docName: string) => boolean, code: number, reason: string): number {
    const doomed = [...this.admitted()].filter((connection) => match(connection.grant, connection.docName));
    for (const connection of doomed) connection.close(code, reason);
    return doomed.length;
  }

  /**
   * Sends a control message to every joined connection of these documents (those not loaded have
   * nobody to tell), with each room's next relay round. Encoded once for all of them; returns how
   * many connections it goes to.
   */
  broadcast(docNames: Iterable<string>, message: ControlMessage): number {
    const frame = encodeControl(message);
    let sent = 0;
    for (const name of new Set(docNames)) {
      const room = this.rooms.get(name);
      if (!room) continue;
      room.announce(frame);
      sent += room.connections.size;
    }
    return sent;
  }

  /**
   * Sends a control message to every joined connection whose grant matches; returns how many.
   * (One still waiting for its document joins after this, and its page reads what it shows then.)
   */
  tellWhere(match: (grant: Grant, docName: string) => boolean, message: ControlMessage): number {
    const frame = encodeControl(message);
    let told = 0;
    for (const room of this.rooms.values()) {
      for (const connection of room.connections) {
        if (!connection.isOpen || !match(connection.grant, connection.docName)) continue;
        connection.send(frame);
        told++;
      }
    }
    return told;
  }

  /** Changes write access of live connections in place; they stay connected and are told. */
  setReadOnlyWhere(match: (grant: Grant, docName: string) => boolean, readOnly: boolean, reason: string): number {
    let changed = 0;
    for (const connection of this.admitted()) {
      if (!match(connection.grant, connection.docName) || connection.grant.readOnly === readOnly) continue;
      connection.grant = { ...connection.grant, readOnly, readOnlyReason: readOnly ? reason : undefined };
      // A connection still waiting has been sent nothing yet; it joins with the new grant.
      if (connection.isOpen) {
        connection.send(encodeControl({ type: 'access', readOnly, reason }));
        if (readOnly) connection.send(encodePermissionDenied(reason));
      }
      changed++;
    }
    return changed;
  }

  /**
   * Deletes a document (its meeting was deleted): its connections are closed, its in-memory
   * state is discarded without being written back, and its stored data is deleted once nothing
   * of this process can append to it any more (on SQLite in this same tick; on an asynchronous
   * store after the commits in flight).
   */
  discard(name: string, code: number, reason: string): void {
    this.closeWhere((_grant, docName) => docName === name, code, reason);
    const room = this.rooms.get(name);
    if (room) this.unload(room, { write: false });
    const failed = (error: Error) => this.log.error({ doc: name, err: error.message }, 'could not delete a deleted meeting’s document');
    if (!isAsyncStore(this.store)) {
      try {
        this.store.delete(name);
      } catch (error) {
        failed(error as Error);
      }
      return;
    }
    const store = this.store;
    void (async () => {
      if (room) await room.settled();
      await store.delete(name);
    })().catch(failed);
  }

  /** Writes every document and closes every connection with 1001; new connections are refused. */
  async close(): Promise<void> {
    this.closing = true;
    if (this.retryTimer) clearInterval(this.retryTimer);
    this.retryTimer = null;
    await Promise.allSettled([...this.loading.values()]);
    for (const room of [...this.rooms.values()]) {
      // What is still being relayed goes out before the goodbye.
      room.flush();
      for (const connection of [...room.connections]) connection.close(CloseCode.GoingAway, 'server shutting down');
      this.unload(room);
    }
    await Promise.allSettled([...this.unloading.values()]);
  }
}

/** What a storage error means, for people: SQLite's words for a full disk or a read-only file. */
function storageReason(error: Error): string {
  const code = (error as { code?: string }).code ?? '';
  if (code.startsWith('SQLITE_FULL')) return 'disk full';
  if (code.startsWith('SQLITE_READONLY')) return 'storage is read-only';
  if (code.startsWith('SQLITE_IOERR')) return 'storage I/O error';
  // PostgreSQL's SQLSTATEs, and the network between us.
  if (code === '53100') return 'disk full';
  if (code === '25006' || code === '42501') return 'storage is read-only';
  if (code.startsWith('08') || code === '57P01' || code === 'ECONNREFUSED' || code === 'ECONNRESET') return 'database unreachable';
  return error.message.slice(0, 80);
}

/**
 * A document being loaded whose stored state is at hand before it is decoded. Clients waiting
 * for it are sent it at once, so that client and server decode at the same time: on the first
 * join of a long meeting after a restart, decoding is most of the wait. Only what is already
 * stored: a new document is sent after its load (and seeding) finished, and changes made during
 * the load reach these clients as a diff when they join.
 */
interface EarlyLoad {
  whole: Uint8Array;
  /** The step 2 frame for a client that has nothing, built once. */
  everything: Uint8Array | null;
  served: Connection[];
  /** Once decoded (extensions may still be running, changing it): the room, and what was stored. */
  room: Room | null;
  storedVector: Uint8Array | null;
  /** Called after each answer while the load waits for joiners' step 1. */
  onServed?: (() => void) | null;
}

/**
 * Answers a waiting client's step 1 with the stored document less what it said it has. The
 * server sends a step 2 only as the answer to a step 1, one each: that is how clients match
 * answers to their questions (see client/collab/session.ts).
 */
function answerEarly(early: EarlyLoad, connection: Connection, vector: Uint8Array): void {
  connection.send(isEmptyStateVector(vector) ? (early.everything ??= encodeSyncStep2(early.whole)) : encodeSyncStep2(Y.diffUpdate(early.whole, vector)));
  early.served.push(connection);
  if (early.room && early.storedVector) early.room.sentWhileLoading([connection], early.storedVector);
  early.onServed?.();
}

/** A stored document as one update, or null when nothing is stored or a row is unreadable. */
function wholeDocument(stored: StoredDocument): Uint8Array | null {
  const rows = stored.state ? [stored.state, ...stored.updates] : stored.updates;
  if (rows.length <= 1) return rows[0] ?? null;
  try {
    return Y.mergeUpdates(rows);
  } catch {
    return null;
  }
}

function applyStored(doc: Y.Doc, update: Uint8Array, name: string, log: Logger): boolean {
  try {
    Y.applyUpdate(doc, update, LOAD_ORIGIN);
    return true;
  } catch (error) {
    // A damaged row must not make the whole document unreadable; keep what can be read.
    log.error({ doc: name, err: (error as Error).message }, 'skipping a stored update that does not apply');
    return false;
  }
}
