// Extraction of one live session document: blocks → action records with stable ids, read
// incrementally. The extractor watches the document's root (observeDeep) and remembers which
// top-level blocks any change touched; a pass re-reads and re-parses only those (with the
// Yjs-level reader, shared/notes/yjs-read.ts) and reuses what it read of every other block, so a
// keystroke's pass costs about the same in a 300-word meeting and a 30,000-word one. It reads
// the room's own document on the main thread: no copy, no worker, no Lexical tree.

import * as Y from 'yjs';
import { parseActionBlock, type Attendee, type Mention, type ParsedAction } from '../../shared/actions/index.js';
import { ACTION_ID_KEY, newActionId } from '../../shared/notes/action-id.js';
import { ROOT_NAME } from '../../shared/notes/headless.js';
import { readTopLevel, type YjsBlock } from '../../shared/notes/yjs-read.js';
import type { ActionAssignee } from '../../shared/api/actions.js';

export interface ExtractContext {
  attendees: Attendee[];
  /** YYYY-MM-DD: relative dates resolve from it. */
  sessionDate: string;
  ticketProjects?: string[];
  /** The session's real agenda item ids: a heading claiming another (typed or pasted) places nothing. */
  agendaItems?: readonly string[];
}

export interface ExtractedAction {
  id: string;
  agendaItemId: string | null;
  description: string;
  sourceText: string;
  assignees: ActionAssignee[];
  assigneeText: string[];
  everyone: boolean;
  due: string | null;
  done: boolean;
  tickets: string[];
  /** Index of the block in the document. */
  position: number;
  /** 'check' items are ticked through `__checked`; others carry a text marker. */
  kind: string;
}

export interface PassResult {
  /** Every action of the document, in order, on an extractor's first pass (null after). */
  all: ExtractedAction[] | null;
  /** Actions new or different since the previous pass (content, id or position). */
  changed: ExtractedAction[];
  /** Ids the previous pass reported that are no longer in the document. */
  gone: string[];
  /** How many blocks received a fresh id in this pass (written to the document with `origin`). */
  assigned: number;
  /** How many blocks this pass read and parsed (the rest came from earlier passes). */
  read: number;
}

export interface ExtractorOptions {
  /** Makes ids; tests may inject a deterministic one. */
  newId?: () => string;
  /** The transaction origin of the id writes (the server's own edits are persisted and relayed). */
  origin?: unknown;
}

interface ReadBlock extends YjsBlock {
  action: ParsedAction | null;
  /** Its index among its top-level block's blocks (a list's items are blocks of one top-level block). */
  offset: number;
  /** As of the last pass that placed this block: its agenda item and its index in the document. */
  agendaItemId: string | null;
  position: number;
  /** The id its action is reported under, if any. */
  reported: string | null;
  /** Re-read or removed since: no longer what the document holds. */
  dead: boolean;
}

/**
 * A top-level block (a paragraph, a heading, a whole list) holding an action or an agenda heading.
 * Only those blocks are kept, with their place; the rest of a top-level block's blocks, and every
 * top-level block with nothing to keep (most of a meeting), are only counted: a record each cost
 * ~0.2 KB per paragraph, 7 KB of an open meeting's 20 KB of notes.
 */
interface TopLevel {
  /** How many blocks it holds (a list: one per item). */
  count: number;
  /** Its actions and agenda headings. */
  blocks: ReadBlock[];
  /** Where its first block stood, and the agenda item in force there, as of the last walk. */
  start: number;
  agendaIn: string | null;
  /** The agenda item in force after it, when it holds an agenda heading. */
  agendaOut: string | null | undefined;
}

/** What a pass knows of a top-level block: its record, or only how many blocks it holds when none is kept. */
type Known = TopLevel | number;

/** How many blocks a top-level block holds, and the ones a pass keeps. */
interface TopRead {
  count: number;
  blocks: ReadBlock[] | null;
}

function blocksOf(known: Known): readonly ReadBlock[] {
  return typeof known === 'number' ? NO_BLOCKS : known.blocks;
}

function countOf(known: Known): number {
  return typeof known === 'number' ? known : known.count;
}

/** The mentions kept for a block that is not an action: none (shared, never written to). */
const NO_MENTIONS: Mention[] = Object.freeze([]) as unknown as Mention[];
const NO_BLOCKS: readonly ReadBlock[] = Object.freeze([]);

function toAssignee(attendee: Attendee): ActionAssignee {
  return {
    id: attendee.id === undefined || attendee.id === null ? null : String(attendee.id),
    name: attendee.name,
    handle: attendee.handle ?? null,
  };
}

/** A stable name for a block's Yjs structure while it stays in place (it changes when moved). */
function itemKeyOf(xmlText: Y.XmlText): string | null {
  const item = xmlText._item;
  return item ? `${item.id.client}:${item.id.clock}` : null;
}

/** Writes an action id into a block's NodeState, as Lexical's binding stores it (`__state` Y.Map). */
function writeActionId(xmlText: Y.XmlText, id: string): void {
  const state: unknown = xmlText.getAttribute('__state');
  if (state instanceof Y.Map) {
    state.set(ACTION_ID_KEY, id);
    return;
  }
  const fresh = new Y.Map<unknown>();
  fresh.set(ACTION_ID_KEY, id);
  xmlText.setAttribute('__state', fresh as unknown as string);
}

/** What of a context the reading of blocks depends on, comparable across passes. */
function contextKey(context: ExtractContext): string {
  return JSON.stringify([context.attendees, context.sessionDate, context.ticketProjects ?? null, context.agendaItems ?? null]);
}

/** What a reported action looked like, to report only what changed. */
function signature(action: ExtractedAction): string {
  return JSON.stringify(action);
}

function isAgendaHeading(block: YjsBlock): boolean {
  return block.opensAgendaItem !== undefined;
}

export class SessionExtractor {
  private readonly root: Y.XmlText;
  /** The document's top-level blocks as the last pass read them, by shared type. */
  private readonly byTop = new Map<Y.AbstractType<unknown>, Known>();
  /** How many top-level blocks the last walk met. */
  private tops = 0;
  /** Top-level blocks changed since the last pass. */
  private readonly touched = new Set<Y.AbstractType<unknown>>();
  /** Blocks were added, removed or moved at the top level since the last pass (or none was made yet). */
  private structural = true;
  /** The context the cached parses were made with: another one re-reads everything. */
  private lastContext: ExtractContext | null = null;
  private agendaItems: ReadonlySet<string> | null = null;
  /** The block each id is reported under. */
  private readonly holders = new Map<string, ReadBlock>();
  /** Which block (Yjs item) held each id: it keeps the id when a copy is pasted. */
  private readonly owners = new Map<string, string>();
  /** Each reported action as last reported. */
  private readonly reported = new Map<string, string>();
  /** Ids to consider for removal in the next pass (their holders went away). */
  private released = new Set<string>();
  private first = true;
  /** Set while this extractor writes ids: those changes are not news to it. */
  private writing = false;
  private readonly newId: () => string;
  private readonly origin: unknown;

  constructor(
    readonly doc: Y.Doc,
    options: ExtractorOptions = {},
  ) {
    this.root = doc.get(ROOT_NAME, Y.XmlText);
    this.newId = options.newId ?? newActionId;
    this.origin = options.origin ?? null;
    this.root.observeDeep(this.onEvents);
  }

  /** Marks the top-level block of every changed type, or the structure when the root itself changed. */
  private readonly onEvents = (events: Array<Y.YEvent<Y.AbstractType<unknown>>>): void => {
    if (this.writing) return;
    for (const event of events) {
      let type: Y.AbstractType<unknown> = event.target;
      while (type._item !== null && type._item.parent !== this.root) type = type._item.parent as Y.AbstractType<unknown>;
      if (type === this.root) this.structural = true;
      else if (type._item !== null) this.touched.add(type);
    }
  };

  /**
   * Reads what changed, parses action blocks, and decides ids: an action block without an id, with
   * an id another block holds, or with one of `reassign` (ids that belong to another document) is
   * given a fresh one, written into the document. With `assign` false (the document is going away)
   * such blocks are left out until a later load gives them ids.
   *
   * A keystroke inside existing blocks re-reads just those blocks; anything that changes where
   * blocks stand or which agenda item they fall under (blocks added, removed or moved, an agenda
   * heading edited, a list gaining an item) also walks the list of top-level blocks, reusing every
   * read it can and recomputing only the actions whose place changed.
   */
  pass(context: ExtractContext, reassign: ReadonlySet<string> = new Set(), assign = true): PassResult {
    // The same arrays as last time (the service keeps them per meeting version): nothing to compare.
    const last = this.lastContext;
    const same =
      last !== null &&
      last.attendees === context.attendees &&
      last.agendaItems === context.agendaItems &&
      last.ticketProjects === context.ticketProjects &&
      last.sessionDate === context.sessionDate;
    this.lastContext = context;
    if (!same && (last === null || contextKey(last) !== contextKey(context))) {
      for (const known of this.byTop.values()) this.bury(blocksOf(known));
      this.byTop.clear();
      this.tops = 0;
      this.structural = true;
      this.agendaItems = context.agendaItems ? new Set(context.agendaItems) : null;
    }
    let parsed = 0;
    /** Reads one top-level block: how many blocks it holds, and the ones to keep. */
    const readTop = (top: Y.AbstractType<unknown>): TopRead => {
      const all = readTopLevel(top);
      parsed += all.length;
      let kept: ReadBlock[] | null = null;
      for (let offset = 0; offset < all.length; offset++) {
        const b = all[offset]!;
        const action = parseActionBlock({ text: b.text, checked: b.checked, mentions: b.mentions }, context.attendees, context.sessionDate, {
          ...(context.ticketProjects ? { ticketProjects: context.ticketProjects } : {}),
        });
        if (!action && !isAgendaHeading(b)) continue;
        // Only an action's text is needed again (its record's source text): the rest of the notes
        // are not kept a second time in memory.
        // Every field spelled out, in one order: blocks spread from blocks of varying shapes each
        // got a hidden class of their own in V8 (~0.5 KB a block, 15 KB an open meeting).
        (kept ??= []).push({
          xmlText: b.xmlText,
          type: b.type,
          text: action ? b.text : '',
          mentions: action ? b.mentions : NO_MENTIONS,
          checked: b.checked,
          actionId: b.actionId,
          tag: b.tag,
          depth: b.depth,
          opensAgendaItem: b.opensAgendaItem,
          action,
          offset,
          agendaItemId: null,
          position: 0,
          reported: null,
          dead: false,
        });
      }
      return { count: all.length, blocks: kept };
    };
    const placed = (!this.structural && this.readInPlace(readTop)) || this.walk(readTop);
    this.touched.clear();
    this.structural = false;
    return this.resolve(placed, reassign, assign, parsed);
  }

  private bury(blocks: readonly ReadBlock[]): void {
    for (const block of blocks) {
      block.dead = true;
      if (block.reported !== null) this.released.add(block.reported);
    }
  }

  /**
   * Re-reads the touched blocks where they stand, when nothing moved: same number of blocks, no
   * agenda heading involved, no action in a top-level block that had none (it has no place yet).
   * The re-read blocks, or null when the change needs a walk.
   */
  private readInPlace(readTop: (top: Y.AbstractType<unknown>) => TopRead): { read: ReadBlock[]; shifted: ReadBlock[] } | null {
    // What each touched block becomes: its kept blocks, or only its count (nothing in it to keep).
    const updates: Array<[Y.AbstractType<unknown>, Known, TopRead]> = [];
    for (const top of this.touched) {
      const known = this.byTop.get(top);
      if (known === undefined || blocksOf(known).some(isAgendaHeading)) return null;
      const fresh = readTop(top);
      if (fresh.count !== countOf(known)) return null;
      if (fresh.blocks !== null) {
        if (typeof known === 'number' || fresh.blocks.some(isAgendaHeading)) return null;
        // No heading inside: its blocks all stand under the agenda item in force where it starts.
        for (const block of fresh.blocks) {
          block.agendaItemId = known.agendaIn;
          block.position = known.start + block.offset;
        }
      }
      updates.push([top, known, fresh]);
    }
    const read: ReadBlock[] = [];
    for (const [top, known, fresh] of updates) {
      this.bury(blocksOf(known));
      if (fresh.blocks === null) {
        this.byTop.set(top, fresh.count);
      } else {
        (known as TopLevel).blocks = fresh.blocks;
        read.push(...fresh.blocks);
      }
    }
    return { read, shifted: [] };
  }

  /** Walks the top-level blocks: re-reads new and touched ones, re-places the ones that moved. */
  private walk(readTop: (top: Y.AbstractType<unknown>) => TopRead): { read: ReadBlock[]; shifted: ReadBlock[] } {
    // Indexed loops over plain arrays: this runs over every top-level block of a long meeting
    // whenever a line is added, so it must cost little per block.
    const read: ReadBlock[] = [];
    const shifted: ReadBlock[] = [];
    let tops = 0;
    let added = 0;
    let position = 0;
    let agenda: string | null = null;
    for (let item = this.root._start; item !== null; item = item.right) {
      if (item.deleted || !(item.content instanceof Y.ContentType)) continue;
      const top = item.content.type;
      tops++;
      let known = this.byTop.get(top);
      const fresh = known === undefined || this.touched.has(top);
      if (fresh) {
        if (known === undefined) added++;
        else this.bury(blocksOf(known));
        const { count, blocks } = readTop(top);
        known = blocks === null ? count : { count, blocks, start: -1, agendaIn: null, agendaOut: undefined };
        this.byTop.set(top, known);
      }
      if (typeof known === 'number') {
        // Nothing in it to place.
        position += known;
        continue;
      }
      const entry = known!;
      if (!fresh && entry.start === position && entry.agendaIn === agenda) {
        // In place: its blocks keep their positions and agenda items; only a heading moves the agenda on.
        position += entry.count;
        if (entry.agendaOut !== undefined) agenda = entry.agendaOut;
        continue;
      }
      entry.start = position;
      entry.agendaIn = agenda;
      entry.agendaOut = undefined;
      const blocks = entry.blocks;
      for (let i = 0; i < blocks.length; i++) {
        const block = blocks[i]!;
        if (block.opensAgendaItem) {
          const id = block.opensAgendaItem.id;
          agenda = id !== null && (this.agendaItems?.has(id) ?? true) ? id : null;
          entry.agendaOut = agenda;
        }
        block.agendaItemId = agenda;
        block.position = position + block.offset;
        (fresh ? read : shifted).push(block);
      }
      position += entry.count;
    }
    // Blocks gone from the document (only looked for when some are: fewer met than known): the
    // walk met every top-level block still there, so a known one is gone when its item is deleted.
    if (tops - added < this.tops) {
      for (const [top, known] of this.byTop) {
        if (top._item !== null && !top._item.deleted) continue;
        this.bury(blocksOf(known));
        this.byTop.delete(top);
      }
    }
    this.tops = tops;
    return { read, shifted };
  }

  /** Decides ids for what was read, reports what changed and what left. */
  private resolve({ read, shifted }: { read: ReadBlock[]; shifted: ReadBlock[] }, reassign: ReadonlySet<string>, assign: boolean, parsed: number): PassResult {
    // An id stays with its live holder; a freed id goes to the block that held it before (same
    // Yjs item), else to the first block claiming it. Everyone else gets a fresh id.
    const claims = new Map<string, ReadBlock[]>();
    for (const block of read) {
      if (!block.action || block.actionId === null || reassign.has(block.actionId)) continue;
      const list = claims.get(block.actionId);
      if (list) list.push(block);
      else claims.set(block.actionId, [block]);
    }
    const keeper = new Map<string, ReadBlock>();
    for (const [id, claimants] of claims) {
      const holder = this.holders.get(id);
      if (holder && !holder.dead) continue;
      const owner = this.owners.get(id);
      keeper.set(id, claimants.find((b) => itemKeyOf(b.xmlText) === owner) ?? claimants[0]!);
    }
    // Blocks that carry an id of another document, wherever they are.
    const forced: ReadBlock[] = [];
    for (const id of reassign) {
      const holder = this.holders.get(id);
      if (holder && !holder.dead && !read.includes(holder)) forced.push(holder);
    }
    const fresh = new Map<ReadBlock, string>();
    if (assign) {
      for (const block of [...read, ...forced]) {
        if (block.action && (block.actionId === null || keeper.get(block.actionId) !== block)) fresh.set(block, this.newId());
      }
    }
    this.writeIds(fresh);

    const changed: ExtractedAction[] = [];
    const claimed = new Set<string>();
    const report = (block: ReadBlock, id: string): void => {
      if (block.reported !== null && block.reported !== id) this.released.add(block.reported);
      block.reported = id;
      claimed.add(id);
      this.holders.set(id, block);
      const itemKey = itemKeyOf(block.xmlText);
      if (itemKey) this.owners.set(id, itemKey);
      const action = this.toAction(block, id);
      const sig = signature(action);
      if (this.reported.get(id) !== sig) {
        this.reported.set(id, sig);
        changed.push(action);
      }
    };
    for (const block of read) {
      const id = fresh.get(block) ?? (block.action && block.actionId !== null && keeper.get(block.actionId) === block ? block.actionId : null);
      if (block.action && id !== null) report(block, id);
      else block.reported = null;
    }
    for (const block of shifted) if (block.reported !== null) report(block, block.reported);
    for (const block of forced) {
      const id = fresh.get(block);
      if (id) report(block, id);
    }

    const gone: string[] = [];
    for (const id of this.released) {
      if (claimed.has(id)) continue;
      const holder = this.holders.get(id);
      if (holder && !holder.dead && holder.reported === id) continue;
      gone.push(id);
      this.reported.delete(id);
      this.holders.delete(id);
      this.owners.delete(id);
    }
    this.released = new Set();

    let all: ExtractedAction[] | null = null;
    if (this.first) {
      this.first = false;
      all = [...this.holders.entries()].sort(([, a], [, b]) => a.position - b.position).map(([id, block]) => this.toAction(block, id));
    }
    return { all, changed, gone, assigned: fresh.size, read: parsed };
  }

  private writeIds(fresh: ReadonlyMap<ReadBlock, string>): void {
    if (fresh.size === 0) return;
    this.writing = true;
    try {
      this.doc.transact(() => {
        for (const [block, id] of fresh) writeActionId(block.xmlText, id);
      }, this.origin);
    } finally {
      this.writing = false;
    }
    for (const [block, id] of fresh) block.actionId = id;
  }

  private toAction(block: ReadBlock, id: string): ExtractedAction {
    const action = block.action!;
    return {
      id,
      agendaItemId: block.agendaItemId,
      description: action.description,
      sourceText: block.text,
      assignees: [...action.assignees.map(toAssignee), ...action.unresolved.map((handle) => ({ id: null, name: handle, handle }))],
      assigneeText: action.assigneeText,
      everyone: action.everyone,
      due: action.due,
      done: action.done,
      tickets: action.tickets,
      position: block.position,
      kind: action.kind,
    };
  }

  dispose(): void {
    this.root.unobserveDeep(this.onEvents);
    this.byTop.clear();
    this.touched.clear();
    this.holders.clear();
  }
}
