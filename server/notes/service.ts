// The notes layer on the collaboration core: keeps a copy of each loaded session document in the
// notes worker, runs an extraction pass at most ~300 ms after a
// change, keeps action_items in step (one transaction per pass), writes fresh action ids back to
// the live document, pushes changed lists to the meeting's clients, and ticks actions from the
// tracker in the notes.

import * as Y from 'yjs';
import type { ActionRecord, ActionsPush } from '../../shared/api/actions.js';
import type { Db } from '../db/database.js';
import type { RoomRegistry } from '../collab/registry.js';
import { SERVER_ORIGIN, type Room } from '../collab/room.js';
import type { Logger } from '../collab/types.js';
import type { CollabExtension } from '../collab/extension.js';
import type { NotesHost } from './host.js';
import type { SessionContext, SessionLookup } from './lookup.js';
import { ActionStore } from '../tracker/action-items.js';
import { findActionBlock, isCheckItem } from './yjs-blocks.js';

export const DEFAULT_THROTTLE_MS = 250;
/** A little coalescing even after a quiet period: a burst of keystrokes makes one pass. */
const MIN_DELAY_MS = 20;
const MAX_BACKOFF_MS = 30_000;

export class NotesError extends Error {
  constructor(
    readonly code: 'not_found' | 'removed' | 'not_in_notes' | 'closing',
    message: string,
  ) {
    super(message);
  }
}

interface DocState {
  name: string;
  /** Unique per load: the worker's copy for an earlier load of the same name is never reused. */
  key: string;
  room: Room | null;
  context: SessionContext;
  pending: Uint8Array[];
  /** The worker has no copy yet (first pass, or it restarted): send the whole state. */
  needsFull: boolean;
  timer: NodeJS.Timeout | null;
  running: Promise<void> | null;
  lastStart: number;
  /** How long the last pass took: a huge document is read less often (see schedule). */
  lastDuration: number;
  failures: number;
  /** The worker's copy has updates no pass has read (sent along with a tick). */
  dirty: boolean;
  /** Ids recorded under another document: the blocks carrying them get fresh ids. */
  reassign: Set<string>;
  /** When the oldest change no pass has read yet arrived (`performance.now()`), for the lag metric. */
  pendingSince: number | null;
}

function needsPass(state: DocState): boolean {
  return state.pending.length > 0 || state.needsFull || state.dirty || state.reassign.size > 0;
}

export interface NotesServiceOptions {
  db: Db;
  registry: RoomRegistry;
  host: NotesHost;
  lookup: SessionLookup;
  log: Logger;
  throttleMs?: number;
  /** Told after each pass how long the oldest change it indexed waited, in seconds. */
  observeLag?: (seconds: number) => void;
}

export class NotesService {
  /** Where session facts come from. */
  readonly lookup: SessionLookup;
  readonly store: ActionStore;
  private readonly docs = new Map<string, DocState>();
  private readonly db: Db;
  private readonly registry: RoomRegistry;
  private readonly host: NotesHost;
  private readonly log: Logger;
  private readonly throttleMs: number;
  private readonly observeLag: ((seconds: number) => void) | undefined;
  private loads = 0;
  private closing = false;
  /** Passes started for unloaded documents, awaited on close. */
  private readonly finals = new Set<Promise<void>>();

  constructor(options: NotesServiceOptions) {
    this.db = options.db;
    this.registry = options.registry;
    this.host = options.host;
    this.lookup = options.lookup;
    this.log = options.log;
    this.throttleMs = options.throttleMs ?? DEFAULT_THROTTLE_MS;
    this.observeLag = options.observeLag;
    this.store = new ActionStore(options.db);
    this.host.onReset(() => {
      for (const state of this.docs.values()) {
        state.needsFull = true;
        this.schedule(state);
      }
    });
  }

  // ---- collaboration hooks -------------------------------------------------------------------

  /** The notes layer's hooks on the collaboration core (after seeding: see server/app.ts). */
  readonly extension: CollabExtension = {
    name: 'notes',
    onLoad: (room) => this.onLoad(room),
    onChange: (room, update) => this.onChange(room, update),
    onUnload: (room) => this.onUnload(room),
  };

  /** A session document loaded: read it once in full. */
  onLoad(room: Room): void {
    if (this.closing) return;
    const context = this.lookup.describe(room.name);
    if (!context) return;
    const state: DocState = {
      name: room.name,
      key: `${room.name}#${++this.loads}`,
      room,
      context,
      pending: [],
      needsFull: true,
      timer: null,
      running: null,
      lastStart: 0,
      lastDuration: 0,
      failures: 0,
      dirty: false,
      reassign: new Set(),
      pendingSince: null,
    };
    this.docs.set(room.name, state);
    this.schedule(state);
  }

  onChange(room: Room, update: Uint8Array): void {
    const state = this.docs.get(room.name);
    if (!state || state.room !== room) return;
    state.pending.push(update);
    state.pendingSince ??= performance.now();
    this.schedule(state);
  }

  /** The room is about to be destroyed: one last pass from the worker's copy, then drop it. */
  onUnload(room: Room): void {
    const state = this.docs.get(room.name);
    if (!state || state.room !== room) return;
    this.docs.delete(room.name);
    if (state.timer) clearTimeout(state.timer);
    state.timer = null;
    state.room = null;
    if (this.closing) return;
    const final = (async () => {
      await state.running?.catch(() => undefined);
      if (needsPass(state)) await this.pass(state);
    })()
      .catch((error: unknown) => this.log.error({ doc: state.name, err: errorMessage(error) }, 'final extraction pass failed'))
      .finally(() => {
        this.finals.delete(final);
        void this.host.request({ kind: 'drop', doc: state.key }).catch(() => undefined);
      });
    this.finals.add(final);
  }

  // ---- scheduling ----------------------------------------------------------------------------

  /**
   * Throttle, not debounce: a pass starts at most `throttleMs` after the previous one started, so
   * the table is never more than about that (plus one pass) behind the notes however fast people
   * type. A document whose pass takes longer than half that interval is read at most every two
   * pass-lengths, so the worker is never busy with one document more than half the time.
   */
  private schedule(state: DocState): void {
    if (state.timer || state.running || this.closing) return;
    const backoff = state.failures > 0 ? Math.min(MAX_BACKOFF_MS, this.throttleMs * 2 ** state.failures) : 0;
    const interval = Math.max(this.throttleMs, 2 * state.lastDuration);
    const delay = Math.max(MIN_DELAY_MS, interval - (Date.now() - state.lastStart), backoff);
    state.timer = setTimeout(() => {
      state.timer = null;
      void this.run(state);
    }, delay);
    state.timer.unref();
  }

  private run(state: DocState): Promise<void> {
    if (state.running) return state.running;
    const running = this.pass(state)
      .then(() => {
        state.failures = 0;
        state.lastDuration = Date.now() - state.lastStart;
      })
      .catch((error: unknown) => {
        state.failures++;
        // The worker's copy may have missed updates: resend everything next time.
        state.needsFull = true;
        this.log.error({ doc: state.name, err: errorMessage(error), failures: state.failures }, 'extraction pass failed');
      })
      .finally(() => {
        state.running = null;
        if (this.docs.get(state.name) === state && needsPass(state)) this.schedule(state);
      });
    state.running = running;
    return running;
  }

  /** The updates the worker lacks, consumed. */
  private takeUpdates(state: DocState): Uint8Array[] {
    if (state.needsFull) {
      state.needsFull = false;
      state.pending = [];
      return state.room ? [Y.encodeStateAsUpdate(state.room.doc)] : [];
    }
    const updates = state.pending;
    state.pending = [];
    return updates;
  }

  private async pass(state: DocState): Promise<void> {
    state.lastStart = Date.now();
    state.dirty = false;
    const since = state.pendingSince;
    state.pendingSince = null;
    const live = state.room !== null && this.registry.get(state.name) === state.room;
    const context = this.lookup.describe(state.name);
    if (!context) {
      // The session is gone (meeting deleted): nothing to index any more.
      if (this.docs.get(state.name) === state) this.docs.delete(state.name);
      state.pending = [];
      state.needsFull = false;
      state.reassign.clear();
      void this.host.request({ kind: 'drop', doc: state.key }).catch(() => undefined);
      return;
    }
    state.context = context;
    const reassign = [...state.reassign];
    state.reassign.clear();
    const reply = await this.host.request({
      kind: 'pass',
      doc: state.key,
      updates: this.takeUpdates(state),
      context: { attendees: state.context.attendees, sessionDate: state.context.sessionDate },
      reassign,
      assign: live,
    });
    if (reply.kind !== 'pass') throw new Error(`unexpected worker reply ${reply.kind}`);
    const { actions, update } = reply.result;
    if (update && state.room && this.registry.get(state.name) === state.room) {
      // Ids for new and duplicated action blocks: an ordinary server edit, persisted and relayed.
      Y.applyUpdate(state.room.doc, update, SERVER_ORIGIN);
    }
    if (!this.db.open) return;

    // An id already recorded under another document (a block pasted across sessions) is not
    // this block's: leave it out and give the block a fresh id in the next pass.
    const owners = this.store.docsOf(actions.map((a) => a.id));
    const foreign = actions.filter((a) => {
      const doc = owners.get(a.id);
      return doc !== undefined && doc !== state.name;
    });
    for (const action of foreign) state.reassign.add(action.id);
    // Agenda item ids come from clients (heading NodeState): keep only this session's real ones.
    const items = new Set(state.context.outline.blocks.flatMap((b) => b.items.map((i) => i.id)));
    const mine = actions
      .filter((a) => !state.reassign.has(a.id))
      .map((a) => (a.agendaItemId === null || items.has(a.agendaItemId) ? a : { ...a, agendaItemId: null }));

    const outcome = this.store.applyPass(
      { doc: state.name, meetingId: state.context.meetingId, sessionId: state.context.sessionId },
      mine,
    );
    if (since !== null) this.observeLag?.((performance.now() - since) / 1000);
    this.log.debug(
      { doc: state.name, ms: Date.now() - state.lastStart, actions: mine.length, changed: outcome.changed.length, assigned: reply.result.assigned },
      'extraction pass',
    );
    if (outcome.visible) {
      this.push(state.context, {
        type: 'actions',
        doc: state.name,
        meetingId: state.context.meetingId,
        sessionId: state.context.sessionId,
        actions: outcome.present,
        removed: outcome.removed,
      });
    }
  }

  /** Sends a session's action list to every client of the meeting, whichever session they have open. */
  private push(context: SessionContext, message: ActionsPush): void {
    this.registry.broadcast([context.doc, ...this.lookup.docsOfMeeting(context.meetingId)], message);
  }

  // ---- API for routes ----------------------------------------------------------------------

  /** Waits until every change made to this document so far is in action_items. */
  async flush(doc: string): Promise<void> {
    for (let round = 0; round < 10; round++) {
      const state = this.docs.get(doc);
      if (!state) {
        await Promise.allSettled([...this.finals]);
        return;
      }
      if (state.running) {
        await state.running;
        continue;
      }
      if (state.timer || needsPass(state)) {
        if (state.timer) clearTimeout(state.timer);
        state.timer = null;
        await this.run(state);
        continue;
      }
      return;
    }
  }

  /**
   * Ticks (or unticks) an action in its source notes, then returns the record as extracted
   * afterwards. A check-list item has its checkbox flipped on the live document; any other action
   * block has its marker rewritten (see done-marker.ts) through a headless editor.
   */
  async setActionDone(actionId: string, done: boolean): Promise<ActionRecord> {
    if (this.closing) throw new NotesError('closing', 'the server is shutting down');
    const record = this.store.get(actionId);
    const doc = this.store.docOf(actionId);
    if (!record || doc === null) throw new NotesError('not_found', `no action ${actionId}`);
    if (record.removed) throw new NotesError('removed', `action ${actionId} was deleted from the notes`);
    const room = await this.registry.open(doc);
    const block = findActionBlock(room.doc, actionId);
    if (!block) {
      await this.flush(doc);
      throw new NotesError('not_in_notes', `action ${actionId} is no longer in the notes`);
    }
    if (isCheckItem(block)) {
      if (block.xmlText.getAttribute('__checked') !== done) {
        room.doc.transact(() => block.xmlText.setAttribute('__checked', done), SERVER_ORIGIN);
      }
    } else {
      const state = this.docs.get(doc);
      if (!state) throw new NotesError('not_in_notes', `action ${actionId} is not in a session document`);
      // Behind any pass in flight, so the worker's copy is in order.
      await state.running?.catch(() => undefined);
      const reply = await this.host.request({ kind: 'setDone', doc: state.key, updates: this.takeUpdates(state), actionId, done });
      if (reply.kind !== 'setDone') throw new Error(`unexpected worker reply ${reply.kind}`);
      if (reply.update && this.registry.get(doc) === room) Y.applyUpdate(room.doc, reply.update, SERVER_ORIGIN);
      // The copy now has updates no pass has read yet.
      state.dirty = true;
      this.schedule(state);
    }
    await this.flush(doc);
    const after = this.store.get(actionId);
    if (!after) throw new NotesError('not_found', `no action ${actionId}`);
    return after;
  }

  /**
   * Sends a session document's current action list to every client of its meeting, as a pass
   * does; for changes made outside extraction (e.g. a route that changed records' context).
   */
  pushActions(doc: string): void {
    const context = this.docs.get(doc)?.context ?? this.lookup.describe(doc);
    if (!context) return;
    this.push(context, { type: 'actions', doc, meetingId: context.meetingId, sessionId: context.sessionId, actions: this.store.list(doc), removed: [] });
  }

  /** The present actions of a session document, in document order. */
  listActions(doc: string, options: { includeRemoved?: boolean } = {}): ActionRecord[] {
    return this.store.list(doc, options);
  }

  /** Called first on shutdown: bring the index up to date, then stop the worker. */
  async close(): Promise<void> {
    if (this.closing) return;
    const names = [...this.docs.keys()];
    await Promise.allSettled(names.map((name) => this.flush(name)));
    this.closing = true;
    for (const state of this.docs.values()) if (state.timer) clearTimeout(state.timer);
    await Promise.allSettled([...this.finals]);
    await this.host.close();
  }
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
