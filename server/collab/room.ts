import * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import {
  decodeAwarenessEntries,
  type AwarenessEntry,
  encodeAwareness,
  encodeAwarenessEntries,
  encodeQueryAwareness,
  encodeSyncStep1,
  encodeSyncStep2,
  encodeUpdate,
  CloseCode,
  MessageType,
  SyncStep,
  type IncomingMessage,
} from '../../shared/protocol/index.js';
import type { Connection } from './connection.js';
import { DEFAULT_LIMITS, type CollabLimits } from './types.js';
import { Relay, type Change } from './relay.js';
import { updateLacking } from './missing-deletions.js';
import { isEmptyUpdate, lackedBy } from './client-update.js';
import { CommitQueue, type PendingCommit } from './commit-queue.js';

/** Transaction origin of updates replayed from storage: they are not appended again. */
export const LOAD_ORIGIN = Symbol('quorum:load');
/** Origin for changes the server itself makes (seeding, ticking an action from the tracker). */
export const SERVER_ORIGIN = Symbol('quorum:server');
/** The origin of the server's own messages to a room's connections (see `announce`). */
const ANNOUNCEMENT = Symbol('quorum:announcement');

/** An update with no structs and no deletions. */
const EMPTY_UPDATE = new Uint8Array([0, 0]);

/** A connection may publish presence for at most this many Yjs client ids (a tab has one). */
const MAX_AWARENESS_IDS_PER_CONNECTION = 8;

export interface RoomEvents {
  /** Stores an update durably before anyone sees it; throws when it cannot (disk full, read-only). */
  store(room: Room, update: Uint8Array): void;
  /** An update was stored and applied (for the hooks: extraction and the like). */
  changed(room: Room, update: Uint8Array, origin: unknown): void;
  /**
   * Storing failed. A client's update was refused (not applied; its connection is told to come
   * back later); a server-made one waits in `unstored`, seen by nobody, until it can be stored.
   */
  storageFailed(room: Room, error: Error, connection: Connection | null): void;
  /** Asks for `flush()` to run at the end of this tick, and again while it returns true. */
  scheduleFlush(room: Room): void;
  /** A connection was sent changes, the oldest of which arrived `seconds` ago. */
  delivered?(seconds: number): void;
  connectionLeft(room: Room, connection: Connection): void;
  /**
   * Given when the store is asynchronous (a database across the network): updates then go
   * through the room's CommitQueue instead of `store`, and are relayed once committed.
   */
  asyncStore?: {
    commit(room: Room, updates: Uint8Array[]): Promise<void>;
    compact(room: Room): Promise<void>;
  };
}

/**
 * One loaded document: its Y.Doc, presence, and connections. Updates are persisted as they are
 * applied, then relayed (see Relay): merged, encoded once for all who lack the same ones.
 */
export class Room {
  readonly doc: Y.Doc;
  readonly awareness: awarenessProtocol.Awareness;
  readonly connections = new Set<Connection>();
  /** Updates in the log since the last compaction. */
  logLength = 0;
  /** Stored size: the merged state plus the log (what MAX_DOCUMENT_BYTES bounds). */
  bytes = 0;
  unloadTimer: NodeJS.Timeout | null = null;
  /** performance.now() when it was loaded. */
  readonly loadedAt = performance.now();

  private readonly relay: Relay;
  /** Set while announced messages wait for the next round (see announce). */
  private announcementTimer: NodeJS.Timeout | null = null;
  private readonly awarenessOwners = new Map<number, Connection>();
  /** The connection that last claimed, with a newer state, an id another connection holds (see speaksFor). */
  private readonly awarenessContenders = new Map<number, Connection>();
  /** The whole document as one update, kept from the load or the first joiner until the next change. */
  private fullState: Uint8Array | null = null;
  /** The state vector the document had when each connection was sent it (answering its first step 1). */
  private readonly sentStateVectors = new WeakMap<Connection, Uint8Array>();
  /** Reconnecting clients' first step 1, answered once their step 2 has said which deletions they hold. */
  private readonly awaitingDeletions = new Map<Connection, { vector: Uint8Array; timer: NodeJS.Timeout }>();
  /** Whether anything but the stored state was applied since the load. */
  private changedSinceLoad = false;
  /** The update being applied was stored before it was applied (a client's; see applyFromClient). */
  private storedAhead = false;
  /** Server-made updates applied in memory whose storing failed: relayed to nobody until stored. */
  readonly unstored: Array<{ update: Uint8Array; origin: unknown }> = [];
  /** With an asynchronous store: what waits for its commit, in order (null with a synchronous one). */
  private readonly commits: CommitQueue | null;

  constructor(
    readonly name: string,
    doc: Y.Doc,
    private readonly events: RoomEvents,
    private readonly limits: Pick<CollabLimits, 'maxDocumentBytes' | 'maxAwarenessBytes' | 'handshakeReplyWaitMs' | 'announcementWaitMs'> = DEFAULT_LIMITS,
  ) {
    this.doc = doc;
    this.awareness = new awarenessProtocol.Awareness(doc);
    // The server is not a participant: publish no presence of its own.
    this.awareness.setLocalState(null);
    this.relay = new Relay(this.connections, (changes) => this.encodeChanges(changes), events.delivered);
    const asyncStore = events.asyncStore;
    this.commits = asyncStore
      ? new CommitQueue({
          commit: (updates) => asyncStore.commit(this, updates),
          compact: () => asyncStore.compact(this),
          committed: (batch) => this.committed(batch),
          refused: (connection, error) => events.storageFailed(this, error, connection),
          heldBack: (error) => events.storageFailed(this, error, null),
        })
      : null;
    doc.on('update', this.onDocUpdate);
    this.awareness.on('update', this.onAwarenessUpdate);
  }

  private readonly onDocUpdate = (update: Uint8Array, origin: unknown): void => {
    if (origin === LOAD_ORIGIN) return;
    this.fullState = null;
    this.changedSinceLoad = true;
    if (!this.storedAhead && this.commits) {
      // Relayed once committed (committed() below).
      this.commits.add({ kind: 'server', update, origin });
      return;
    }
    if (!this.storedAhead) {
      // A server-made change (seeding, ids, a tick): stored now, or held back until it can be.
      // Never thrown from here: Yjs stops emitting updates for a document whose handler threw.
      try {
        this.events.store(this, update);
      } catch (error) {
        this.unstored.push({ update, origin });
        this.events.storageFailed(this, error as Error, null);
        return;
      }
    }
    this.release(update, origin);
  };

  /** A stored change reaches the hooks and everyone connected. */
  private release(update: Uint8Array, origin: unknown): void {
    this.events.changed(this, update, origin);
    this.relay.add({ update, origin, at: performance.now() });
    this.events.scheduleFlush(this);
  }

  /**
   * Sends a message of the server's own to everyone connected, with the relay: in the same
   * socket write as the updates and presence they are sent next, which in a meeting people are
   * typing in arrive within tens of milliseconds; it waits for them at most `announcementWaitMs`
   * (100 ms by default, far below what a reader notices in a list beside the notes).
   * Sent at once instead, a message was a relay round of its own, a socket write per participant
   * (most of what relaying costs): an extraction pass's push in each busy meeting four times a
   * second, a tenth of the fan-out benchmark's socket writes.
   */
  announce(message: Uint8Array): void {
    this.relay.add({ message, origin: ANNOUNCEMENT });
    if (this.announcementTimer) return;
    this.announcementTimer = setTimeout(() => {
      this.announcementTimer = null;
      this.events.scheduleFlush(this);
    }, this.limits.announcementWaitMs);
    this.announcementTimer.unref();
  }

  /** Committed: a client's update is applied now (and relayed from onDocUpdate), the server's relayed. */
  private committed(batch: PendingCommit[]): void {
    for (const item of batch) {
      if (item.kind === 'server') {
        this.release(item.update, item.origin);
        continue;
      }
      this.storedAhead = true;
      try {
        Y.applyUpdate(this.doc, item.payload, item.connection);
      } catch {
        // Validated before it was queued (lackedBy), so this does not happen; if it did, the
        // update is stored and the next load applies it: the rest of the batch goes on.
      } finally {
        this.storedAhead = false;
      }
    }
  }

  /** Whether server-made changes wait for a store that failed. */
  get holdsUnstored(): boolean {
    return this.unstored.length > 0 || (this.commits?.isHeld ?? false);
  }

  /** With an asynchronous store: commits the held-back changes; resolves to whether it could. */
  resumeCommits(): Promise<boolean> {
    return this.commits ? this.commits.resume() : Promise.resolve(true);
  }

  /** With an asynchronous store: compacts once what is queued now has been committed. */
  compactSoon(): void {
    this.commits?.compactSoon();
  }

  /** With an asynchronous store: resolves once nothing waits for a commit (or it is held back). */
  async settled(): Promise<void> {
    await this.commits?.settled();
  }

  /** Nothing waits for a commit. */
  get committedAll(): boolean {
    return this.commits?.idle ?? this.unstored.length === 0;
  }

  /** Stores the held-back server changes, in order, and releases them; throws if the store still fails. */
  storeHeldBack(): void {
    while (this.unstored.length > 0) {
      const { update, origin } = this.unstored[0]!;
      this.events.store(this, update);
      this.unstored.shift();
      this.release(update, origin);
    }
  }

  /**
   * A writer's update: stored first, applied only once stored. When the store fails the update is
   * refused whole (the document stays as it was, and stays able to take the next update), and the
   * client, which keeps its edit, sends it again when it reconnects.
   */
  private applyFromClient(connection: Connection, payload: Uint8Array): void {
    // Validated here, before anything is stored. Nothing the document lacks (a new client's
    // answer to our step 1, a reconnecting one's deletions, an edit that reached us from someone
    // else first): applying it would change nothing, yet run Yjs's whole decode, and storing it
    // would grow the log.
    const fresh = lackedBy(this.doc, payload);
    if (fresh === null) return;
    // Deletions alone (no structs: a leading 0) are applied as stored, without those made already.
    const apply = fresh[0] === 0 ? fresh : payload;
    if (this.bytes + fresh.byteLength > this.limits.maxDocumentBytes) {
      // Final: sending it again cannot help. The client keeps the edit in its copy.
      connection.close(CloseCode.FrameTooLarge, `the notes have reached their size limit (${Math.round(this.limits.maxDocumentBytes / 1024 / 1024)} MB)`);
      return;
    }
    if (this.commits) {
      this.commits.add({ kind: 'client', update: fresh, payload: apply, connection });
      return;
    }
    try {
      this.events.store(this, fresh);
    } catch (error) {
      this.events.storageFailed(this, error as Error, connection);
      return;
    }
    this.storedAhead = true;
    try {
      Y.applyUpdate(this.doc, apply, connection);
    } finally {
      this.storedAhead = false;
    }
  }

  private readonly onAwarenessUpdate = (
    change: { added: number[]; updated: number[]; removed: number[] },
    origin: unknown,
  ): void => {
    this.relay.add({ awareness: [...change.added, ...change.updated, ...change.removed], origin });
    this.events.scheduleFlush(this);
  };

  /**
   * Hands the room the update it was loaded from, valid until the first change: encoding a long
   * document for the first joiners after a restart costs more than reading it did.
   */
  rememberFullState(update: Uint8Array): void {
    this.fullState = update;
  }

  /**
   * These connections were sent the stored document while it loaded (RoomRegistry's early
   * answers), which had `stateVector` (by default the document's now, as decoded from storage).
   */
  sentWhileLoading(connections: Connection[], stateVector: Uint8Array = Y.encodeStateVector(this.doc)): void {
    if (connections.length === 0) return;
    for (const connection of connections) this.sentStateVectors.set(connection, stateVector);
  }

  join(connection: Connection): void {
    this.connections.add(connection);
    const stateVector = Y.encodeStateVector(this.doc);
    const sentWhileLoading = this.sentStateVectors.get(connection);
    // Step 1 asks the client for what we lack. The document goes to it as the answer to its own
    // step 1 (y-websocket sends one as it connects), holding only what it lacks: a client that
    // reconnects after a break gets its missing edits, not the whole meeting again. A client
    // sent the stored state during the load gets what changed since (seeding, say).
    connection.send(encodeSyncStep1(stateVector));
    if (sentWhileLoading) {
      this.sentStateVectors.set(connection, stateVector);
      if (this.changedSinceLoad) connection.send(encodeUpdate(Y.encodeStateAsUpdate(this.doc, sentWhileLoading)));
    }
    if (this.awareness.getStates().size > 0) {
      connection.send(this.encodeAwarenessOf([...this.awareness.getStates().keys()]));
    }
    // It has every change so far; the relay sends it those that follow.
    this.relay.joined(connection);
    // Only now the frames it sent while waiting: a client takes the first step 2 it gets as
    // "synced", so its own step 1 must not be answered before it has the whole document.
    connection.open(this);
  }

  leave(connection: Connection): void {
    if (!this.connections.delete(connection)) return;
    clearTimeout(this.awaitingDeletions.get(connection)?.timer);
    this.awaitingDeletions.delete(connection);
    const ids = [...connection.awarenessIds].filter((id) => this.awarenessOwners.get(id) === connection);
    for (const id of ids) this.awarenessOwners.delete(id);
    if (ids.length > 0) awarenessProtocol.removeAwarenessStates(this.awareness, ids, connection);
    // Whoever claimed one of its ids meanwhile is asked for its presence again: the state it
    // sent then was not taken, and its provider, ahead of the room's clock, does not send it anew.
    const asked = new Set<Connection>();
    for (const [id, contender] of this.awarenessContenders) {
      if (contender !== connection && !ids.includes(id)) continue;
      this.awarenessContenders.delete(id);
      if (contender !== connection && this.connections.has(contender) && !asked.has(contender)) {
        asked.add(contender);
        contender.send(encodeQueryAwareness());
      }
    }
    this.events.connectionLeft(this, connection);
  }

  receive(connection: Connection, message: IncomingMessage): void {
    switch (message.type) {
      case MessageType.Sync:
        if (message.step === SyncStep.Step1) {
          if (this.awaitingDeletions.has(connection) || (!this.sentStateVectors.has(connection) && !isEmptyStateVector(message.payload))) {
            this.awaitDeletions(connection, message.payload);
          } else {
            connection.send(encodeSyncStep2(this.missingFor(connection, message.payload)));
          }
          return;
        }
        if (connection.grant.readOnly) {
          // Never applied, stored or relayed. Re-sending what it was sent (its handshake reply
          // after a reconnect, which carries its whole delete set) is not a write attempt and
          // deserves no warning.
          if (!isEmptyUpdate(message.payload) && lackedBy(this.doc, message.payload) !== null) connection.denyWrite();
        } else {
          this.applyFromClient(connection, message.payload);
        }
        if (message.step === SyncStep.Step2) this.answerAwaiting(connection, message.payload);
        return;
      case MessageType.Awareness:
        this.receiveAwareness(connection, message.payload);
        return;
      case MessageType.QueryAwareness:
        connection.send(this.encodeAwarenessOf([...this.awareness.getStates().keys()]));
        return;
      default:
        throw new Error(`message type ${message.type} is not accepted from clients`);
    }
  }

  /**
   * A client that reconnects holding the document (a non-empty state vector) is answered once its
   * step 2 has arrived (its reply to the step 1 we sent on joining, one round trip), with only the
   * deletions it lacks instead of the document's whole delete set (see updateLacking).
   */
  private awaitDeletions(connection: Connection, vector: Uint8Array): void {
    clearTimeout(this.awaitingDeletions.get(connection)?.timer);
    const timer = setTimeout(() => this.answerAwaiting(connection, null), this.limits.handshakeReplyWaitMs);
    timer.unref();
    this.awaitingDeletions.set(connection, { vector, timer });
  }

  /** Answers a waiting step 1, knowing the client's deletions from `clientUpdate` or (null) not. */
  private answerAwaiting(connection: Connection, clientUpdate: Uint8Array | null): void {
    const waiting = this.awaitingDeletions.get(connection);
    if (!waiting) return;
    clearTimeout(waiting.timer);
    this.awaitingDeletions.delete(connection);
    if (!connection.isOpen) return;
    const reply = clientUpdate ? updateLacking(this.doc, waiting.vector, clientUpdate) : Y.encodeStateAsUpdate(this.doc, waiting.vector);
    this.sentStateVectors.set(connection, Y.encodeStateVector(this.doc));
    connection.send(encodeSyncStep2(reply));
  }

  /**
   * The reply to a client's step 1: what it lacks. The first of a new client is the whole
   * document (a reconnecting client's first waits for its deletions: awaitDeletions). After that
   * (a probe confirming its edits, say) every change since has reached it as a broadcast,
   * deletions included, so the reply need only hold structs neither side has accounted for, and
   * when there are none it is the empty update: not the document's whole delete set (a scan of
   * every struct) once more.
   */
  private missingFor(connection: Connection, clientVector: Uint8Array): Uint8Array {
    const sent = this.sentStateVectors.get(connection);
    if (!sent) {
      // A new client lacks everything, and every new client until the next change gets the same
      // bytes, encoded once.
      const reply = isEmptyStateVector(clientVector) ? (this.fullState ??= Y.encodeStateAsUpdate(this.doc)) : Y.encodeStateAsUpdate(this.doc, clientVector);
      this.sentStateVectors.set(connection, Y.encodeStateVector(this.doc));
      return reply;
    }
    const known = Y.decodeStateVector(clientVector);
    for (const [client, clock] of Y.decodeStateVector(sent)) {
      if ((known.get(client) ?? 0) < clock) known.set(client, clock);
    }
    for (const [client, clock] of Y.decodeStateVector(Y.encodeStateVector(this.doc))) {
      if ((known.get(client) ?? 0) < clock) return Y.encodeStateAsUpdate(this.doc, Y.encodeStateVector(known));
    }
    return EMPTY_UPDATE;
  }

  /**
   * A client may only speak for its own awareness ids, never impersonate another connection's;
   * and presence is a name, a colour and a caret: small, and not a firehose (every state is sent
   * to everyone in the room).
   *
   * y-websocket's provider sends the server every presence change it is sent (its awareness
   * handler does not look at where a change came from), so most presence messages in a meeting
   * are the others' states coming back, some twenty a second from each page in the fan-out
   * benchmark. They change nothing and are dropped. What each message costs against the
   * connection's limit, and when it is dropped or the connection closed, is
   * Connection.admitPresence's business.
   */
  private receiveAwareness(connection: Connection, payload: Uint8Array): void {
    const entries = decodeAwarenessEntries(payload);
    const own = entries.filter((entry) => this.speaksFor(connection, entry));
    const admitted = connection.admitPresence(own.length > 0);
    if (admitted === 'flood') {
      connection.close(CloseCode.TooManyRequests, 'presence updates too frequent');
      return;
    }
    if (admitted === 'drop' || own.length === 0) return;
    if (own.some((entry) => entry.state.length > this.limits.maxAwarenessBytes)) {
      connection.close(CloseCode.FrameTooLarge, `presence state over ${this.limits.maxAwarenessBytes} bytes`);
      return;
    }
    for (const entry of own) JSON.parse(entry.state);
    const update = own.length === entries.length ? payload : encodeAwarenessEntries(own);
    awarenessProtocol.applyAwarenessUpdate(this.awareness, update, connection);
  }

  /**
   * Whether an entry of a presence message is the connection's own. An id is its own once it
   * claimed it, and it claims an id that no open connection holds, with a state newer than the
   * last one the room had under it (a new client's, or a reconnecting client's next). What the
   * others send back after a client left, its removal or its last state, is never newer, so it
   * cannot take that client's id before the client comes back on a new connection.
   *
   * A newer state for an id that another open connection holds is not taken either, but makes
   * the holder show that it is still there (Connection.probe): a client back on a new connection
   * while its old one is silent but not yet closed (a laptop that changed networks) would
   * otherwise have its caret frozen for everyone until the heartbeat drops the old one, up to a
   * minute. Once it is dropped, the last connection to claim the id is asked for its presence
   * (a query-awareness frame, which every y-websocket provider answers with its states), and the
   * id is taken as any free id is.
   */
  private speaksFor(connection: Connection, entry: AwarenessEntry): boolean {
    const owner = this.awarenessOwners.get(entry.clientId);
    if (owner !== undefined) {
      if (owner !== connection && entry.clock > (this.awareness.meta.get(entry.clientId)?.clock ?? -1)) {
        this.awarenessContenders.set(entry.clientId, connection);
        owner.probe();
      }
      return owner === connection;
    }
    if (connection.awarenessIds.size >= MAX_AWARENESS_IDS_PER_CONNECTION) return false;
    if (entry.clock <= (this.awareness.meta.get(entry.clientId)?.clock ?? -1)) return false;
    this.awarenessOwners.set(entry.clientId, connection);
    connection.awarenessIds.add(entry.clientId);
    return true;
  }

  private encodeAwarenessOf(ids: number[]): Uint8Array {
    return encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, ids));
  }

  /**
   * Relays what changed since the last flush, until `deadline` (a performance.now() time);
   * returns whether some connections still lack some changes, for another call after a turn of
   * the event loop.
   */
  flush(deadline = Infinity): boolean {
    // Whatever was announced goes out in this round.
    if (this.announcementTimer) {
      clearTimeout(this.announcementTimer);
      this.announcementTimer = null;
    }
    return this.relay.send(deadline);
  }

  /** A run of changes as frames: the updates merged into one, presence as the current states of those who changed. */
  private encodeChanges(changes: readonly Change[]): Uint8Array[] {
    const updates: Uint8Array[] = [];
    const ids = new Set<number>();
    const messages: Uint8Array[] = [];
    for (const change of changes) {
      if (change.update) updates.push(change.update);
      if (change.message) messages.push(change.message);
      for (const id of change.awareness ?? []) ids.add(id);
    }
    const frames: Uint8Array[] = [];
    if (updates.length > 0) frames.push(encodeUpdate(updates.length === 1 ? updates[0]! : Y.mergeUpdates(updates)));
    if (ids.size > 0) frames.push(this.encodeAwarenessOf([...ids]));
    // After the updates: a message may speak of what they hold (an action list of the ids just written).
    frames.push(...messages);
    return frames;
  }

  destroy(): void {
    this.commits?.stop();
    if (this.announcementTimer) clearTimeout(this.announcementTimer);
    this.announcementTimer = null;
    for (const { timer } of this.awaitingDeletions.values()) clearTimeout(timer);
    this.awaitingDeletions.clear();
    this.doc.off('update', this.onDocUpdate);
    this.awareness.off('update', this.onAwarenessUpdate);
    this.awareness.destroy();
    this.doc.destroy();
  }
}

/** A state vector of no clients: what a client that holds nothing sends (one varUint 0). */
export function isEmptyStateVector(vector: Uint8Array): boolean {
  return vector.byteLength === 1 && vector[0] === 0;
}
