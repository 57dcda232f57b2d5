// Extraction of one live session document: blocks → action records with stable ids, read
// incrementally. The extractor watches the document's root (observeDeep) and remembers which
// top-level blocks any change touched, added or deleted; a pass re-reads and re-parses only
// those (with the Yjs-level reader, shared/notes/yjs-read.ts) and reuses what it read of every
// other block, and places new blocks by walking only the stretch of the document around each
// change, so a keystroke's pass, Enter included, costs about the same in a 300-word meeting and
// a 30,000-word one. It reads the room's own document on the main thread: no copy, no worker,
// no Lexical tree.

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
  /** How many top-level items its walks stepped over to place blocks (none for a keystroke inside a line). */
  walked: number;
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
  /** Its shared type: where it stands in the document. */
  top: Y.AbstractType<unknown>;
  /** How many blocks it holds (a list: one per item). */
  count: number;
  /** How many blocks stand between it and the next top-level block kept (or the end): all in blocks with nothing kept. */
  gap: number;
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

/**
 * Top-level items added or deleted that a pass remembers one by one, to walk only the stretches
 * around them; a larger change (a paste of a long text, a reload) walks the whole document.
 */
const MAX_NOTED = 256;

/** The start of a kept block read afresh and not placed yet. */
const UNPLACED = -1;

/** Blocks placed by a pass: those read afresh, and those that only moved. */
interface Placed {
  read: ReadBlock[];
  shifted: ReadBlock[];
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
  /** The kept top-level blocks in document order, as the last pass left them. */
  private order: TopLevel[] = [];
  /** How many blocks stand before the first kept one. */
  private headGap = 0;
  /** Top-level items added or deleted since the last pass (a local walk starts from each). */
  private noted: Y.Item[] = [];
  /** The shared types of the top-level blocks deleted since the last pass. */
  private deletedTops: Y.AbstractType<unknown>[] = [];
  /** The last transaction whose top-level changes were noted (a transaction has several events). */
  private notedIn: Y.Transaction | null = null;
  /** The next walk must be a whole one: no pass yet, a new context, or more changes than were noted. */
  private walkAll = true;
  /** Top-level items stepped over by this pass's walks. */
  private walked = 0;
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
      if (type === this.root) {
        this.structural = true;
        this.noteTopLevelChanges(event.transaction);
      } else if (type._item !== null) this.touched.add(type);
    }
  };

  /**
   * Notes the top-level blocks a transaction added (the items it created in the root) and deleted
   * (from its delete set), reading the store without changing it. The types of the deleted ones
   * are taken now: a deleted item loses its content once the transaction is cleaned up.
   */
  private noteTopLevelChanges(transaction: Y.Transaction): void {
    if (this.walkAll || transaction === this.notedIn) return;
    this.notedIn = transaction;
    const clients = this.doc.store.clients;
    const note = (struct: Y.Item | Y.GC, deleted: boolean): boolean => {
      if (!(struct instanceof Y.Item) || struct.parent !== this.root || !(struct.content instanceof Y.ContentType)) return true;
      this.noted.push(struct);
      if (deleted) this.deletedTops.push(struct.content.type);
      return this.noted.length <= MAX_NOTED;
    };
    const overflow = (): void => {
      this.walkAll = true;
      this.noted = [];
      this.deletedTops = [];
    };
    for (const [client, after] of transaction.afterState) {
      const before = transaction.beforeState.get(client) ?? 0;
      const structs = clients.get(client);
      if (after <= before || !structs) continue;
      for (let i = Y.findIndexSS(structs, before); i < structs.length; i++) if (!note(structs[i]!, false)) return overflow();
    }
    for (const [client, ranges] of transaction.deleteSet.clients) {
      const structs = clients.get(client);
      if (!structs) continue;
      for (const { clock, len } of ranges) {
        for (let i = Y.findIndexSS(structs, clock); i < structs.length && structs[i]!.id.clock < clock + len; i++) {
          if (!note(structs[i]!, true)) return overflow();
        }
      }
    }
  }

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
      this.walkAll = true;
      this.agendaItems = context.agendaItems ? new Set(context.agendaItems) : null;
    }
    let parsed = 0;
    this.walked = 0;
    // A block read in place whose change turns out to need a walk is not read again by the walk.
    const reads = new Map<Y.AbstractType<unknown>, TopRead>();
    /** Reads one top-level block: how many blocks it holds, and the ones to keep. */
    const readTop = (top: Y.AbstractType<unknown>): TopRead => {
      const done = reads.get(top);
      if (done) return done;
      const all = readTopLevel(top);
      parsed += all.length;
      let kept: ReadBlock[] | null = null;
      for (let offset = 0; offset < all.length; offset++) {
        const b = all[offset]!;
        // A table is notes laid out, never an action, whatever its first cell says.
        const action =
          b.type === 'table'
            ? null
            : parseActionBlock({ text: b.text, checked: b.checked, mentions: b.mentions }, context.attendees, context.sessionDate, {
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
      const read = { count: all.length, blocks: kept };
      reads.set(top, read);
      return read;
    };
    const placed = (!this.structural && this.readInPlace(readTop)) || (!this.walkAll && this.walkAround(readTop)) || this.walk(readTop);
    this.touched.clear();
    this.structural = false;
    this.noted = [];
    this.deletedTops = [];
    this.notedIn = null;
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
  private readInPlace(readTop: (top: Y.AbstractType<unknown>) => TopRead): Placed | null {
    // What each touched block becomes: its kept blocks, or only its count (nothing in it to keep).
    const updates: Array<[Known, TopRead]> = [];
    for (const top of this.touched) {
      const known = this.byTop.get(top);
      if (known === undefined || blocksOf(known).some(isAgendaHeading)) return null;
      const fresh = readTop(top);
      // A kept block with nothing left to keep leaves the order of kept blocks: a walk's business.
      if (fresh.count !== countOf(known) || (fresh.blocks === null && typeof known !== 'number')) return null;
      if (fresh.blocks !== null) {
        if (typeof known === 'number' || fresh.blocks.some(isAgendaHeading)) return null;
        // No heading inside: its blocks all stand under the agenda item in force where it starts.
        for (const block of fresh.blocks) {
          block.agendaItemId = known.agendaIn;
          block.position = known.start + block.offset;
        }
      }
      updates.push([known, fresh]);
    }
    const read: ReadBlock[] = [];
    for (const [known, fresh] of updates) {
      this.bury(blocksOf(known));
      if (fresh.blocks !== null) {
        (known as TopLevel).blocks = fresh.blocks;
        read.push(...fresh.blocks);
      }
    }
    return { read, shifted: [] };
  }

  /**
   * Walks every top-level block: re-reads new and touched ones, counts the blocks between kept
   * ones, then places the kept ones. The first pass does this; later ones when a local walk
   * cannot (walkAround).
   */
  private walk(readTop: (top: Y.AbstractType<unknown>) => TopRead): Placed {
    const { kept, met, added } = this.collect(null, false, readTop);
    // Blocks gone from the document (only looked for when some are: fewer met than known): the
    // walk met every top-level block still there, so a known one is gone when its item is deleted.
    if (met - added < this.tops) {
      for (const [top, known] of this.byTop) {
        if (top._item !== null && !top._item.deleted) continue;
        this.bury(blocksOf(known));
        this.byTop.delete(top);
      }
    }
    this.tops = met;
    this.order = kept;
    this.walkAll = false;
    return this.place();
  }

  /**
   * Walks from the item after `from` (the document's start when null) to the end, or with
   * `toSteady` to the first kept block that did not change: reads new and touched blocks, sets
   * the count of blocks after each kept one, and returns the kept ones met, with how many
   * top-level blocks it met and how many of them were new.
   */
  private collect(from: TopLevel | null, toSteady: boolean, readTop: (top: Y.AbstractType<unknown>) => TopRead): { kept: TopLevel[]; met: number; added: number } {
    // Indexed loops over plain arrays: a whole walk runs over every top-level block of a long meeting.
    const kept: TopLevel[] = [];
    let last = from;
    let gap = 0;
    let met = 0;
    let added = 0;
    for (let item = this.after(from); item !== null; item = item.right) {
      this.walked++;
      if (item.deleted || !(item.content instanceof Y.ContentType)) continue;
      const top = item.content.type;
      let known = this.byTop.get(top);
      if (known === undefined || this.touched.has(top)) {
        if (known === undefined) added++;
        else this.bury(blocksOf(known));
        known = this.readFresh(top, readTop);
      } else if (toSteady && typeof known !== 'number') {
        break;
      }
      met++;
      if (typeof known === 'number') {
        gap += known;
        continue;
      }
      this.setGap(last, gap);
      last = known;
      gap = 0;
      kept.push(known);
    }
    this.setGap(last, gap);
    return { kept, met, added };
  }

  /**
   * Walks only the stretches of the document where blocks were added, deleted or touched since
   * the last pass. A stretch runs from the nearest kept block before a change that did not change
   * itself (or the document's start) to the next such block: the blocks in between are re-read if
   * new or touched, else only counted, and the kept ones found replace the stretch's part of the
   * order of kept blocks. Then `place` gives every kept block its position from the counts. So
   * Enter in a long meeting walks the few lines around the new one, not every line.
   *
   * Null, with nothing changed, when a walk of everything costs about as much (the stretches are
   * half the document: a meeting with few actions or headings) or the kept blocks are not in the
   * order the last pass left.
   */
  private walkAround(readTop: (top: Y.AbstractType<unknown>) => TopRead): Placed | null {
    const steady = (type: Y.AbstractType<unknown>): TopLevel | null => {
      const known = this.byTop.get(type);
      return known !== undefined && typeof known !== 'number' && !this.touched.has(type) ? known : null;
    };
    let steps = 0;
    const limit = Math.max(64, this.tops >> 1);
    // Where each stretch starts: the steady kept block before a change (null: the document's start).
    const starts = new Set<TopLevel | null>();
    // Items walked over already: from there on the walk would find the same start (a paste's lines, a move's copies).
    const passed = new Set<Y.Item>();
    const locate = (item: Y.Item): boolean => {
      if (passed.has(item)) return true;
      passed.add(item);
      for (let at = item.left; at !== null; at = at.left) {
        if (++steps > limit) return false;
        if (passed.has(at)) return true;
        passed.add(at);
        if (at.deleted || !(at.content instanceof Y.ContentType)) continue;
        const kept = steady(at.content.type);
        if (kept) {
          starts.add(kept);
          return true;
        }
      }
      starts.add(null);
      return true;
    };
    for (const item of this.noted) if (!locate(item)) return null;
    for (const top of this.touched) if (top._item === null || !locate(top._item)) return null;
    // Where each ends, as indexes into the order: the kept blocks strictly between were all deleted or touched.
    const stretches: Array<{ from: TopLevel | null; at: number; end: number }> = [];
    this.walked += steps;
    for (const from of starts) {
      let to: TopLevel | null = null;
      for (let item = this.after(from); item !== null && to === null; item = item.right) {
        if (++steps > limit) return null;
        this.walked++;
        if (!item.deleted && item.content instanceof Y.ContentType) to = steady(item.content.type);
      }
      const at = from === null ? -1 : this.order.indexOf(from);
      const end = to === null ? this.order.length : this.order.indexOf(to);
      if ((from !== null && at < 0) || end <= at) return null;
      for (let i = at + 1; i < end; i++) if (steady(this.order[i]!.top) && !this.order[i]!.top._item?.deleted) return null;
      stretches.push({ from, at, end });
    }

    for (const top of this.deletedTops) this.forget(top);
    for (const top of this.touched) if (top._item?.deleted) this.forget(top);
    // From the last stretch back, so that each one's indexes into the order still hold.
    stretches.sort((a, b) => b.at - a.at);
    for (const { from, at, end } of stretches) {
      const { kept, added } = this.collect(from, true, readTop);
      this.tops += added;
      this.order.splice(at + 1, end - at - 1, ...kept);
    }
    return this.place();
  }

  /** The first item after a kept block (the document's first when null). */
  private after(kept: TopLevel | null): Y.Item | null {
    return kept === null ? this.root._start : kept.top._item!.right;
  }

  private setGap(kept: TopLevel | null, gap: number): void {
    if (kept === null) this.headGap = gap;
    else kept.gap = gap;
  }

  /** Reads a top-level block afresh and keeps what a pass keeps of it. */
  private readFresh(top: Y.AbstractType<unknown>, readTop: (top: Y.AbstractType<unknown>) => TopRead): Known {
    const { count, blocks } = readTop(top);
    const known: Known = blocks === null ? count : { top, count, gap: 0, blocks, start: UNPLACED, agendaIn: null, agendaOut: undefined };
    this.byTop.set(top, known);
    return known;
  }

  /** A deleted top-level block: its actions are released. */
  private forget(top: Y.AbstractType<unknown>): void {
    const known = this.byTop.get(top);
    if (known === undefined) return;
    this.bury(blocksOf(known));
    this.byTop.delete(top);
    this.tops--;
  }

  /**
   * Gives the kept blocks their positions and agenda items from the order and the counts between
   * them: blocks read afresh are placed, and so are those whose place or agenda item changed
   * (shifted); the rest keep theirs.
   */
  private place(): Placed {
    const read: ReadBlock[] = [];
    const shifted: ReadBlock[] = [];
    let position = this.headGap;
    let agenda: string | null = null;
    const order = this.order;
    for (let k = 0; k < order.length; k++) {
      const entry = order[k]!;
      const fresh = entry.start === UNPLACED;
      if (!fresh && entry.start === position && entry.agendaIn === agenda) {
        // In place: its blocks keep their positions and agenda items; only a heading moves the agenda on.
        position += entry.count + entry.gap;
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
      position += entry.count + entry.gap;
    }
    return { read, shifted };
  }

  /** Decides ids for what was read, reports what changed and what left. */
  private resolve({ read, shifted }: Placed, reassign: ReadonlySet<string>, assign: boolean, parsed: number): PassResult {
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
    return { all, changed, gone, assigned: fresh.size, read: parsed, walked: this.walked };
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
    this.order = [];
    this.noted = [];
    this.deletedTops = [];
    this.notedIn = null;
  }
}
