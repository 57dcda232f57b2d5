import * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import {
  decodeAwarenessEntries,
  encodeAwareness,
  encodeAwarenessEntries,
  encodeSyncStep1,
  encodeSyncStep2,
  encodeUpdate,
  MessageType,
  SyncStep,
  type IncomingMessage,
} from '../../shared/protocol/index.js';
import type { Connection } from './connection.js';

/** Transaction origin of updates replayed from storage: they are not appended again. */
export const LOAD_ORIGIN = Symbol('quorum:load');
/** Origin for changes the server itself makes (seeding, ticking an action from the tracker). */
export const SERVER_ORIGIN = Symbol('quorum:server');

/**
 * A broadcast costs about one socket write per connection; the next one waits at least this many
 * times as long as the last took (at most MAX_HOLD_MS), so sending takes at most half the time.
 */
const BROADCAST_SPACING = 2;
const MAX_HOLD_MS = 25;

/** The origin held while no change waits for a broadcast, and once changes of several origins do. */
const NO_ORIGIN = Symbol('quorum:no-origin');
const MANY_ORIGINS = Symbol('quorum:many-origins');

/** The one origin of all changes held for a broadcast, or MANY_ORIGINS once they differ. */
function soleOrigin(held: unknown, origin: unknown): unknown {
  return held === NO_ORIGIN || held === origin ? origin : MANY_ORIGINS;
}

/** An update with no structs and no deletions. */
const EMPTY_UPDATE = new Uint8Array([0, 0]);

function isEmptyUpdate(update: Uint8Array): boolean {
  return update.byteLength === 2 && update[0] === 0 && update[1] === 0;
}

/** A connection may publish presence for at most this many Yjs client ids (a tab has one). */
const MAX_AWARENESS_IDS_PER_CONNECTION = 8;

export interface RoomEvents {
  /** Called after an update is applied, in the same tick; it must persist it before returning. */
  persist(room: Room, update: Uint8Array, origin: unknown): void;
  /** Asks for `flush()` to run at the end of this tick. */
  scheduleFlush(room: Room): void;
  connectionLeft(room: Room, connection: Connection): void;
}

/**
 * One loaded document: its Y.Doc, presence, and connections. Updates are persisted as they are
 * applied; relaying them is batched per tick and encoded once for all clients.
 */
export class Room {
  readonly doc: Y.Doc;
  readonly awareness: awarenessProtocol.Awareness;
  readonly connections = new Set<Connection>();
  /** Updates in the log since the last compaction. */
  logLength = 0;
  unloadTimer: NodeJS.Timeout | null = null;
  /** Set while this tick's changes are held back for the next broadcast (see holdFor). */
  holdTimer: NodeJS.Timeout | null = null;

  private pendingUpdates: Uint8Array[] = [];
  private updateOrigin: unknown = NO_ORIGIN;
  private readonly pendingAwareness = new Set<number>();
  private awarenessOrigin: unknown = NO_ORIGIN;
  private readonly awarenessOwners = new Map<number, Connection>();
  /** The whole document as one update while it is known without encoding (see rememberFullState). */
  private fullState: Uint8Array | null = null;
  /** The state vector each connection's join step 2 covered. */
  private readonly sentStateVectors = new WeakMap<Connection, Uint8Array>();
  /** When the last broadcast began and how long it took, in performance.now() milliseconds. */
  private lastBroadcastAt = -Infinity;
  private lastBroadcastCost = 0;
  /** Whether anything but the stored state was applied since the load. */
  private changedSinceLoad = false;

  constructor(
    readonly name: string,
    doc: Y.Doc,
    private readonly events: RoomEvents,
  ) {
    this.doc = doc;
    this.awareness = new awarenessProtocol.Awareness(doc);
    // The server is not a participant: publish no presence of its own.
    this.awareness.setLocalState(null);
    doc.on('update', this.onDocUpdate);
    this.awareness.on('update', this.onAwarenessUpdate);
  }

  private readonly onDocUpdate = (update: Uint8Array, origin: unknown): void => {
    if (origin === LOAD_ORIGIN) return;
    this.fullState = null;
    this.changedSinceLoad = true;
    this.events.persist(this, update, origin);
    this.pendingUpdates.push(update);
    this.updateOrigin = soleOrigin(this.updateOrigin, origin);
    this.events.scheduleFlush(this);
  };

  private readonly onAwarenessUpdate = (
    change: { added: number[]; updated: number[]; removed: number[] },
    origin: unknown,
  ): void => {
    for (const ids of [change.added, change.updated, change.removed]) for (const id of ids) this.pendingAwareness.add(id);
    this.awarenessOrigin = soleOrigin(this.awarenessOrigin, origin);
    this.events.scheduleFlush(this);
  };

  /**
   * Hands the room the update it was loaded from, valid until the first change: encoding a long
   * document for the first joiners after a restart costs more than reading it did.
   */
  rememberFullState(update: Uint8Array): void {
    this.fullState = update;
  }

  /** These connections were sent the stored document while it loaded (RoomRegistry.sendStoredEarly). */
  sentWhileLoading(connections: Connection[]): void {
    if (connections.length === 0) return;
    const stateVector = Y.encodeStateVector(this.doc);
    for (const connection of connections) this.sentStateVectors.set(connection, stateVector);
  }

  join(connection: Connection): void {
    this.connections.add(connection);
    const stateVector = Y.encodeStateVector(this.doc);
    const sentWhileLoading = this.sentStateVectors.get(connection);
    this.sentStateVectors.set(connection, stateVector);
    // Step 1 asks the client for what we lack; step 2 gives it everything we have, or, to a
    // client sent the stored state during the load, what changed since (seeding, say).
    connection.send(encodeSyncStep1(stateVector));
    if (!sentWhileLoading) {
      connection.send(encodeSyncStep2(this.fullState ?? Y.encodeStateAsUpdate(this.doc)));
    } else if (this.changedSinceLoad) {
      connection.send(encodeUpdate(Y.encodeStateAsUpdate(this.doc, sentWhileLoading)));
    }
    if (this.awareness.getStates().size > 0) {
      connection.send(this.encodeAwarenessOf([...this.awareness.getStates().keys()]));
    }
    // Only now the frames it sent while waiting: a client takes the first step 2 it gets as
    // "synced", so its own step 1 must not be answered before it has the whole document.
    connection.open(this);
  }

  leave(connection: Connection): void {
    if (!this.connections.delete(connection)) return;
    const ids = [...connection.awarenessIds].filter((id) => this.awarenessOwners.get(id) === connection);
    for (const id of ids) this.awarenessOwners.delete(id);
    if (ids.length > 0) awarenessProtocol.removeAwarenessStates(this.awareness, ids, connection);
    this.events.connectionLeft(this, connection);
  }

  receive(connection: Connection, message: IncomingMessage): void {
    switch (message.type) {
      case MessageType.Sync:
        if (message.step === SyncStep.Step1) {
          connection.send(encodeSyncStep2(this.missingFor(connection, message.payload)));
        } else if (connection.grant.readOnly) {
          // Never applied, stored or relayed. Re-sending what it was sent (its handshake reply
          // after a reconnect) is not a write attempt and deserves no warning. Most replies are
          // empty, and an empty one needs no snapshot (a scan of the whole document).
          if (!isEmptyUpdate(message.payload) && !Y.snapshotContainsUpdate(Y.snapshot(this.doc), message.payload)) connection.denyWrite();
        } else {
          Y.applyUpdate(this.doc, message.payload, connection);
        }
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
   * The reply to a client's step 1: what it lacks. Its step 1 usually crosses our join step 2 in
   * flight; the socket is ordered, so it applies that step 2 before our reply, and every change
   * after the join reaches it as a broadcast, deletions included. So the reply need only hold
   * structs neither side has accounted for, and when there are none it is the empty update:
   * not the document's whole delete set (a scan of every struct) once more.
   */
  private missingFor(connection: Connection, clientVector: Uint8Array): Uint8Array {
    const sent = this.sentStateVectors.get(connection);
    if (!sent) return Y.encodeStateAsUpdate(this.doc, clientVector);
    const known = Y.decodeStateVector(clientVector);
    for (const [client, clock] of Y.decodeStateVector(sent)) {
      if ((known.get(client) ?? 0) < clock) known.set(client, clock);
    }
    for (const [client, clock] of Y.decodeStateVector(Y.encodeStateVector(this.doc))) {
      if ((known.get(client) ?? 0) < clock) return Y.encodeStateAsUpdate(this.doc, Y.encodeStateVector(known));
    }
    return EMPTY_UPDATE;
  }

  /** A client may only speak for its own awareness ids, never impersonate another connection's. */
  private receiveAwareness(connection: Connection, payload: Uint8Array): void {
    const entries = decodeAwarenessEntries(payload);
    const own = entries.filter((entry) => {
      const owner = this.awarenessOwners.get(entry.clientId);
      if (owner === connection) return true;
      if (owner !== undefined || connection.awarenessIds.size >= MAX_AWARENESS_IDS_PER_CONNECTION) return false;
      this.awarenessOwners.set(entry.clientId, connection);
      connection.awarenessIds.add(entry.clientId);
      return true;
    });
    for (const entry of own) JSON.parse(entry.state);
    if (own.length === 0) return;
    const update = own.length === entries.length ? payload : encodeAwarenessEntries(own);
    awarenessProtocol.applyAwarenessUpdate(this.awareness, update, connection);
  }

  private encodeAwarenessOf(ids: number[]): Uint8Array {
    return encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, ids));
  }

  /**
   * How long to hold changes back before the next broadcast, in milliseconds. In a big meeting
   * a broadcast is a write to each of hundreds of sockets, mostly kernel time, whatever its size;
   * spacing broadcasts by twice their cost merges the edits that arrive meanwhile into one frame
   * and leaves the loop free at least half the time. A small room's broadcast takes microseconds
   * and is never held.
   */
  holdFor(now: number): number {
    const spacing = Math.min(MAX_HOLD_MS, BROADCAST_SPACING * this.lastBroadcastCost);
    return Math.max(0, spacing - (now - this.lastBroadcastAt));
  }

  /** Sends everything applied since the last flush: one merged update and one awareness frame, each encoded once. */
  flush(): void {
    if (this.pendingUpdates.length === 0 && this.pendingAwareness.size === 0) return;
    const start = performance.now();
    if (this.pendingUpdates.length > 0) {
      const updates = this.pendingUpdates;
      this.pendingUpdates = [];
      this.broadcast(() => encodeUpdate(updates.length === 1 ? updates[0]! : Y.mergeUpdates(updates)), this.updateOrigin);
      this.updateOrigin = NO_ORIGIN;
    }
    if (this.pendingAwareness.size > 0) {
      const ids = [...this.pendingAwareness];
      this.pendingAwareness.clear();
      this.broadcast(() => this.encodeAwarenessOf(ids), this.awarenessOrigin);
      this.awarenessOrigin = NO_ORIGIN;
    }
    this.lastBroadcastAt = start;
    this.lastBroadcastCost = performance.now() - start;
  }

  /**
   * A sole originating connection already has what it sent; everyone else gets the frame, which
   * is encoded only if someone does (a lone writer's edits are stored, not encoded for nobody).
   */
  private broadcast(encode: () => Uint8Array, origin: unknown): void {
    let frame: Uint8Array | null = null;
    for (const connection of this.connections) {
      if (connection !== origin) connection.send((frame ??= encode()));
    }
  }

  destroy(): void {
    if (this.holdTimer) clearTimeout(this.holdTimer);
    this.holdTimer = null;
    this.doc.off('update', this.onDocUpdate);
    this.awareness.off('update', this.onAwarenessUpdate);
    this.awareness.destroy();
    this.doc.destroy();
  }
}
