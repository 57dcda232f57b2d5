// The notes layer on the collaboration core: reads each loaded session document incrementally
// (extractor.ts) at most ~250 ms after a change, keeps action_items in step (one transaction per
// pass that changes an action), writes fresh action ids into the live document, pushes changed
// lists to the meeting's clients, and ticks actions from the tracker in the notes. Everything
// runs on the main thread, on the room's own document: a pass re-reads only the blocks changed
// since the last one.
//
// A pass reads the document synchronously, in one go, and then writes action_items through the
// query layer, which may be another machine away (PostgreSQL): a document's passes never overlap
// (the next waits for the last one's write), and a pass reads ids and positions from the
// database, never from what the previous pass meant to write.

import type { ActionRecord, ActionsPush } from '../../shared/api/actions.js';
import type { ActionsChangedEvent } from '../cluster/events.js';
import type { DocumentCommands } from '../cluster/document-commands.js';
import type { Queries } from '../db/sql/index.js';
import type { Db } from '../db/database.js';
import type { RoomRegistry } from '../collab/registry.js';
import { SERVER_ORIGIN, type Room } from '../collab/room.js';
import type { Logger } from '../collab/types.js';
import type { CollabExtension } from '../collab/extension.js';
import type { SessionContext, SessionLookup } from './lookup.js';
import { ActionStore, type PassOutcome } from '../tracker/action-store.js';
import { SessionExtractor, type PassResult } from './extractor.js';
import { findActionBlock, isCheckItem, rewriteDoneMarker } from './yjs-blocks.js';
import { syncAgendaHeadings } from './agenda-sync.js';
import { PassScheduler } from './pass-scheduler.js';

export const DEFAULT_THROTTLE_MS = 250;
/**
 * The origin of the fresh ids a pass writes into the notes: a change the pass itself decided, so
 * it calls for no pass of its own (which would also hold the next keystroke's pass back a whole
 * throttle interval: in a quiet meeting every action line would wait ~200 ms instead of ~20).
 */
const ID_WRITES = Symbol('quorum:action-ids');

export class NotesError extends Error {
  constructor(
    readonly code: 'not_found' | 'removed' | 'not_in_notes' | 'closing' | 'unsaved',
    message: string,
  ) {
    super(message);
  }
}

interface DocState {
  name: string;
  room: Room;
  extractor: SessionExtractor;
  context: SessionContext;
  /** The lookup's version `context` was read at (it is read again when the version moves). */
  contextVersion: number;
  /** The session's agenda item ids, from `context` (kept with it, not rebuilt per pass). */
  agendaItems: string[] | null;
  /** Changes no pass has read yet. */
  changed: boolean;
  /** Read at least once since the load. */
  read: boolean;
  lastStart: number;
  /** How long the last pass took (ms): a document whose pass is slow is read less often. */
  lastDuration: number;
  failures: number;
  /** Ids recorded under another document: the blocks carrying them get fresh ids. */
  reassign: Set<string>;
  /** When the oldest change no pass has read yet arrived (`performance.now()`), for the lag metric. */
  pendingSince: number | null;
  /** The pass under way (its write may still be waiting for the database), or null. */
  running: Promise<void> | null;
}

/** What one pass read, waiting to be written. */
interface PassRead {
  context: SessionContext;
  result: PassResult;
  /** `performance.now()` when the read started, and when the oldest change it read arrived. */
  started: number;
  since: number | null;
}

/** The outcome of a pass that read no new, changed or removed action. */
const NOTHING_CHANGED: PassOutcome = Object.freeze({ changed: [], removed: [], present: [], visible: false, reordered: false, foreign: [] });

function needsPass(state: DocState): boolean {
  return state.changed || state.reassign.size > 0;
}

export interface NotesServiceOptions {
  /** Where action_items live: the query layer, SQLite or PostgreSQL. */
  queries: Queries;
  /** The embedded database under `queries`, if that is where they live: passes write to it directly (tracker/action-store.ts). */
  sqlite?: Db | null;
  registry: RoomRegistry;
  lookup: SessionLookup;
  log: Logger;
  throttleMs?: number;
  /** Told after each pass how long the oldest change it indexed waited, in seconds. */
  observeLag?: (seconds: number) => void;
  /** Told after each pass how long it took, in seconds (the `quorum_extraction_pass_seconds` metric). */
  observePass?: (seconds: number) => void;
  /** Told of each failed pass (the `quorum_extraction_failures_total` metric). */
  observeFailure?: () => void;
  /** TICKET_PROJECTS: only these project keys are tickets (none given: any but known false positives). */
  ticketProjects?: string[];
  /** Where changes of a document from outside its clients run (its owner). */
  commands: DocumentCommands;
  /** Tells the other processes that a session's actions changed (their clients of the meeting follow). */
  announce?: (event: ActionsChangedEvent) => void;
  /** Told after a pass wrote changes to a document's actions (the search index follows them). */
  actionsWritten?: (doc: string) => void;
}

export class NotesService {
  /** Where session facts come from. */
  readonly lookup: SessionLookup;
  readonly store: ActionStore;
  private readonly docs = new Map<string, DocState>();
  /** Final passes of unloaded documents whose writes are still under way. */
  private readonly finishing = new Set<Promise<void>>();
  private readonly registry: RoomRegistry;
  private readonly log: Logger;
  private readonly observeLag: ((seconds: number) => void) | undefined;
  private readonly observePass: ((seconds: number) => void) | undefined;
  private readonly observeFailure: (() => void) | undefined;
  private readonly announce: ((event: ActionsChangedEvent) => void) | undefined;
  private readonly actionsWritten: ((doc: string) => void) | undefined;
  private readonly commands: DocumentCommands;
  /** One array for the life of the service: the extractor compares contexts by identity. */
  private readonly ticketProjects: string[] | undefined;
  private closing = false;
  private readonly passes: PassScheduler<DocState>;

  constructor(options: NotesServiceOptions) {
    this.registry = options.registry;
    this.lookup = options.lookup;
    this.log = options.log;
    this.passes = new PassScheduler(options.throttleMs ?? DEFAULT_THROTTLE_MS, (state) => void this.run(state));
    this.observeLag = options.observeLag;
    this.observePass = options.observePass;
    this.observeFailure = options.observeFailure;
    this.announce = options.announce;
    this.actionsWritten = options.actionsWritten;
    this.commands = options.commands;
    this.ticketProjects = options.ticketProjects && options.ticketProjects.length > 0 ? options.ticketProjects : undefined;
    this.store = new ActionStore(options.queries, options.sqlite ?? null);
  }

  // ---- collaboration hooks -------------------------------------------------------------------

  /** The notes layer's hooks on the collaboration core (after seeding: see server/app.ts). */
  readonly extension: CollabExtension = {
    name: 'notes',
    onLoad: (room) => this.onLoad(room),
    // Nobody is joining it yet: its first full read need not wait (see onLoad).
    onReopen: (room) => this.flush(room.name),
    onChange: (room, _update, origin) => this.onChange(room, origin),
    onUnload: (room) => this.onUnload(room),
  };

  /** A session document loaded: watch it, and read it once in full. */
  async onLoad(room: Room): Promise<void> {
    if (this.closing) return;
    const contextVersion = await this.lookup.version();
    const context = await this.lookup.describe(room.name);
    if (!context || this.closing) return;
    const state: DocState = {
      name: room.name,
      room,
      extractor: new SessionExtractor(room.doc, { origin: ID_WRITES }),
      context,
      contextVersion,
      agendaItems: null,
      changed: true,
      read: false,
      // The first full read waits a throttle interval: a document loads because someone joins,
      // and their handshake should not share the event loop with reading every block (one
      // reopened at a restart, before anyone is back, is read at once: onReopen).
      lastStart: Date.now(),
      lastDuration: 0,
      failures: 0,
      reassign: new Set(),
      pendingSince: null,
      running: null,
    };
    this.docs.set(room.name, state);
    this.schedule(state);
  }

  onChange(room: Room, origin?: unknown): void {
    if (origin === ID_WRITES) return;
    const state = this.docs.get(room.name);
    if (!state || state.room !== room) return;
    state.changed = true;
    state.pendingSince ??= performance.now();
    this.schedule(state);
  }

  /**
   * The room is about to be destroyed: one last read of what it holds (no id writes, with the
   * meeting as last read), written after any pass still under way; then stop watching.
   */
  onUnload(room: Room): void {
    const state = this.docs.get(room.name);
    if (!state || state.room !== room) return;
    this.docs.delete(room.name);
    this.passes.cancel(state);
    try {
      if (!needsPass(state)) return;
      const read = this.read(state, state.context, state.contextVersion, false);
      const write = (state.running ?? Promise.resolve())
        .then(() => this.write(state, read))
        .catch((error: unknown) => this.log.error({ doc: state.name, err: errorMessage(error) }, 'final extraction pass failed'));
      this.finishing.add(write);
      void write.finally(() => this.finishing.delete(write));
    } catch (error) {
      this.log.error({ doc: state.name, err: errorMessage(error) }, 'final extraction pass failed');
    } finally {
      state.extractor.dispose();
    }
  }

  // ---- scheduling (pass-scheduler.ts) -------------------------------------------------------

  private schedule(state: DocState): void {
    if (state.running || this.closing) return;
    this.passes.schedule(state, state);
  }

  /** Runs a pass now, after the one under way if any; resolves once its write is done. */
  private run(state: DocState): Promise<void> {
    const previous = state.running;
    const pass = (async () => {
      if (previous) await previous;
      if (this.docs.get(state.name) !== state) return;
      try {
        await this.pass(state);
        state.failures = 0;
      } catch (error) {
        state.failures++;
        this.observeFailure?.();
        // Read everything again next time: the failed pass may have consumed what changed.
        state.changed = true;
        if (this.docs.get(state.name) === state) {
          state.extractor.dispose();
          state.extractor = new SessionExtractor(state.room.doc, { origin: ID_WRITES });
        }
        this.log.error({ doc: state.name, err: errorMessage(error), failures: state.failures }, 'extraction pass failed');
      }
    })();
    state.running = pass;
    void pass.finally(() => {
      if (state.running === pass) state.running = null;
      if (this.docs.get(state.name) === state && needsPass(state)) this.schedule(state);
    });
    return pass;
  }

  private async pass(state: DocState): Promise<void> {
    // The meeting is read again only when something it is made of changed (see lookup.version).
    const version = await this.lookup.version();
    const context = version === state.contextVersion ? state.context : await this.lookup.describe(state.name);
    // Unloaded while we asked: its final pass read the document instead.
    if (this.docs.get(state.name) !== state) return;
    if (!context) {
      // The session is gone (meeting deleted): nothing to index any more.
      this.docs.delete(state.name);
      this.passes.cancel(state);
      state.reassign.clear();
      state.extractor.dispose();
      return;
    }
    await this.write(state, this.read(state, context, version, true));
  }

  /** Reads what changed in the document since the last read, writing fresh ids into it when `live`. */
  private read(state: DocState, context: SessionContext, version: number, live: boolean): PassRead {
    const started = performance.now();
    state.lastStart = Date.now();
    state.read = true;
    state.changed = false;
    const since = state.pendingSince;
    state.pendingSince = null;
    const reassign = state.reassign;
    state.reassign = new Set();
    if (context !== state.context || !state.agendaItems) state.agendaItems = context.outline.blocks.flatMap((b) => b.items.map((i) => i.id));
    state.context = context;
    state.contextVersion = version;
    // Fresh ids are written into the live document here: ordinary server edits, persisted and relayed.
    const result = state.extractor.pass(
      { attendees: context.attendees, sessionDate: context.sessionDate, agendaItems: state.agendaItems, ...(this.ticketProjects ? { ticketProjects: this.ticketProjects } : {}) },
      reassign,
      live,
    );
    return { context, result, started, since };
  }

  /** Brings action_items in step with one read, and tells the meeting's clients what changed. */
  private async write(state: DocState, { context, result, started, since }: PassRead): Promise<void> {
    const owner = { doc: state.name, meetingId: context.meetingId, sessionId: context.sessionId };
    // The first pass of a load reconciles the table with the whole document (edits may have
    // reached it after the last pass before a crash); later passes apply what changed, and most
    // keystrokes change no action: those open no transaction.
    const outcome = result.all
      ? await this.store.applyPass(owner, result.all)
      : result.changed.length > 0 || result.gone.length > 0
        ? await this.store.applyChanges(owner, result.changed, result.gone)
        : NOTHING_CHANGED;
    // An id already recorded under another document (a block pasted across sessions) is not
    // this block's: the store left it out, and the next pass gives the block a fresh id.
    for (const id of outcome.foreign) state.reassign.add(id);
    if (outcome.changed.length > 0) this.actionsWritten?.(state.name);
    const seconds = (performance.now() - started) / 1000;
    state.lastDuration = seconds * 1000;
    this.passes.ran(state.lastDuration);
    this.observePass?.(seconds);
    if (since !== null) this.observeLag?.((performance.now() - since) / 1000);
    this.log.debug(
      { doc: state.name, ms: seconds * 1000, read: result.read, walked: result.walked, full: result.all !== null, changed: outcome.changed.length, assigned: result.assigned },
      'extraction pass',
    );
    if (outcome.visible) {
      // The whole list when the order changed (or on a load's first pass); else just what changed.
      const complete = result.all !== null || outcome.reordered;
      this.push(context, {
        type: 'actions',
        doc: state.name,
        meetingId: context.meetingId,
        sessionId: context.sessionId,
        complete,
        actions: complete ? outcome.present : outcome.changed.filter((a) => !a.removed),
        removed: outcome.removed,
      });
    }
  }

  /** Sends a session's action list to every client of the meeting, whichever session they have open. */
  private push(context: SessionContext, message: ActionsPush): void {
    const docs = context.meetingDocs;
    this.registry.broadcast([context.doc, ...docs], message);
    // Other processes can only hold the meeting's other documents (a document's clients are all
    // on its owner, here): a one-day meeting has nobody elsewhere to tell.
    if (docs.some((doc) => doc !== context.doc)) {
      this.announce?.({ type: 'actions-changed', meetingId: context.meetingId, sessionId: context.sessionId, doc: context.doc, docs });
    }
  }

  /**
   * Another process's pass changed a session's actions: this process's clients of the meeting
   * (on other days' documents; the changed document's own clients are on its owner) are sent
   * the session's list as the database now holds it. Returns how many documents were told.
   */
  async actionsChangedElsewhere(event: ActionsChangedEvent): Promise<number> {
    if (this.closing || this.docs.has(event.doc)) return 0;
    const here = event.docs.filter((doc) => this.registry.get(doc) !== undefined);
    if (here.length === 0) return 0;
    const actions = await this.store.list(event.doc);
    this.registry.broadcast(here, { type: 'actions', doc: event.doc, meetingId: event.meetingId, sessionId: event.sessionId, complete: true, actions, removed: [] });
    return here.length;
  }

  // ---- API for routes ----------------------------------------------------------------------

  /** Brings action_items up to date with every change made to this document so far. */
  async flush(doc: string): Promise<void> {
    const state = this.docs.get(doc);
    if (!state) return;
    if (state.running) await state.running;
    if (this.docs.get(doc) !== state || !needsPass(state)) return;
    this.passes.cancel(state);
    await this.run(state);
  }

  /**
   * Ticks (or unticks) an action in its source notes, then returns the record as extracted
   * afterwards. A check-list item has its checkbox flipped; any other action block has its
   * marker rewritten (see done-marker.ts). Both are edits of the live document.
   */
  async setActionDone(actionId: string, done: boolean): Promise<ActionRecord> {
    if (this.closing) throw new NotesError('closing', 'the server is shutting down');
    const doc = await this.store.docOf(actionId);
    if (doc === null) throw new NotesError('not_found', `no action ${actionId}`);
    // The record is read here, not sent back by the owner: a long action line would not fit in
    // an event (NOTIFY carries 8,000 bytes). The owner answers once it is extracted.
    await this.commands.runRaising<null, NotesError>(doc, { kind: 'tick', actionId, done }, NotesError);
    const after = await this.store.get(actionId);
    if (!after) throw new NotesError('not_found', `no action ${actionId}`);
    return after;
  }

  /** `setActionDone` on the process that holds the document (cluster/document-commands.ts). */
  async tickHere(doc: string, actionId: string, done: boolean): Promise<null> {
    if (this.closing) throw new NotesError('closing', 'the server is shutting down');
    const record = await this.store.get(actionId);
    if (!record) throw new NotesError('not_found', `no action ${actionId}`);
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
      rewriteDoneMarker(block, done, SERVER_ORIGIN);
    }
    // With PostgreSQL, a server edit reaches the notes layer once it is committed (collab/room.ts).
    await room.settled();
    if (!room.committedAll) throw new NotesError('unsaved', 'the tick could not be saved yet (the database refuses writes); it is kept and saved when it can be');
    // Extracted before answering: the caller reads the record next.
    await this.flush(doc);
    return null;
  }

  /**
   * The meeting's agenda changed: every session document's agenda headings follow, live for
   * everyone connected (agenda-sync.ts). A document never opened before is seeded from the new
   * agenda as it loads here, and has nothing left to change.
   */
  async syncAgenda(meetingId: string): Promise<number> {
    if (this.closing) return 0;
    let changed = 0;
    for (const doc of await this.lookup.docsOfMeeting(meetingId)) {
      try {
        if (await this.commands.runRaising<boolean, NotesError>(doc, { kind: 'agenda' }, NotesError)) changed++;
      } catch (error) {
        // The agenda itself is saved; the headings follow at the next edit of the agenda.
        this.log.error({ doc, err: errorMessage(error) }, 'agenda headings not updated');
      }
    }
    return changed;
  }

  /** One document's part of `syncAgenda`, on the process that holds it; whether it changed. */
  async syncAgendaHere(doc: string): Promise<boolean> {
    const context = await this.lookup.describe(doc);
    if (!context || this.closing) return false;
    const room = await this.registry.open(doc);
    return syncAgendaHeadings(room.doc, context.outline, SERVER_ORIGIN);
  }

  /**
   * Sends a session document's current action list to every client of its meeting, as a pass
   * does; for changes made outside extraction (e.g. a route that changed records' context).
   */
  async pushActions(doc: string): Promise<void> {
    const context = await this.lookup.describe(doc);
    if (!context) return;
    this.push(context, { type: 'actions', doc, meetingId: context.meetingId, sessionId: context.sessionId, complete: true, actions: await this.store.list(doc), removed: [] });
  }

  /** The present actions of a session document, in document order. */
  listActions(doc: string, options: { includeRemoved?: boolean } = {}): Promise<ActionRecord[]> {
    return this.store.list(doc, options);
  }

  /** Called first on shutdown: bring the index up to date with every loaded document. */
  async close(): Promise<void> {
    if (this.closing) return;
    for (const name of [...this.docs.keys()]) await this.flush(name);
    this.closing = true;
    this.passes.close();
  }

  /** Resolves once every pass under way, and every unloaded document's last one, is written. */
  async settle(): Promise<void> {
    await Promise.all([...[...this.docs.values()].map((state) => state.running), ...this.finishing]);
  }
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
