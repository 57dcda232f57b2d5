// Extraction of one live session document: blocks → action records with stable ids, read
// incrementally. The extractor watches the document's root (observeDeep) and remembers which
// top-level blocks any change touched; a pass re-reads and re-parses only those (with the
// Yjs-level reader, shared/notes/yjs-read.ts) and reuses what it read of every other block, so a
// keystroke's pass costs about the same in a 300-word meeting and a 30,000-word one. It reads
// the room's own document on the main thread: no copy, no worker, no Lexical tree.

import * as Y from 'yjs';
import { parseActionBlock, type Attendee, type ParsedAction } from '../../shared/actions/index.js';
import { ACTION_ID_KEY, newActionId } from '../../shared/notes/action-id.js';
import { ROOT_NAME } from '../../shared/notes/headless.js';
import { readTopLevel, topLevelTypes, type YjsBlock } from '../../shared/notes/yjs-read.js';
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
  /**
   * Every action of the document, in order, when this pass read the whole structure (the first
   * pass, and any after blocks were added, removed or moved); null when it read only changed blocks.
   */
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
  /** As of the last pass that placed this block: its agenda item and its index in the document. */
  agendaItemId: string | null;
  position: number;
  /** The id its action was reported under by the last pass, if any. */
  reported: string | null;
}

interface TopLevel {
  top: unknown;
  blocks: ReadBlock[];
}

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

/** What a reported action looked like, to report only what changed. */
function signature(action: ExtractedAction): string {
  return JSON.stringify(action);
}

function isAgendaHeading(block: YjsBlock): boolean {
  return block.opensAgendaItem !== undefined;
}

export class SessionExtractor {
  private readonly root: Y.XmlText;
  /** The document's top-level blocks as the last pass read them. */
  private readonly byTop = new Map<unknown, TopLevel>();
  /** Top-level blocks changed since the last pass. */
  private readonly touched = new Set<unknown>();
  /** Blocks were added, removed or moved at the top level since the last pass (or none was made yet). */
  private structural = true;
  /** The context the cached parses were made with: another one re-parses everything. */
  private contextKey = '';
  /** Which block (Yjs item) held each id in the previous pass: it keeps the id when pasted. */
  private owners = new Map<string, string>();
  /** Each reported action as last reported. */
  private reported = new Map<string, string>();
  /** The ids each top-level block's actions were reported under by the last pass. */
  private readonly previouslyReported = new Map<unknown, string[]>();
  private agendaItems: ReadonlySet<string> | null = null;
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
    // Our own id writes: the blocks' cached reads are updated with the ids instead.
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
   * an id another block kept, or with one of `reassign` (ids that belong to another document) is
   * given a fresh one, written into the document. With `assign` false (the document is going away)
   * such blocks are left out until a later load gives them ids.
   *
   * A keystroke inside existing blocks re-reads just those blocks (the fast path); anything that
   * changes where blocks stand or which agenda item they fall under (blocks added, removed or
   * moved, an agenda heading edited, a list gaining an item, an id changing hands) walks the whole
   * structure, still re-reading only the changed blocks.
   */
  pass(context: ExtractContext, reassign: ReadonlySet<string> = new Set(), assign = true): PassResult {
    const contextKey = JSON.stringify([context.attendees, context.sessionDate, context.ticketProjects ?? null, context.agendaItems ?? null]);
    if (contextKey !== this.contextKey) {
      this.byTop.clear();
      this.structural = true;
      this.contextKey = contextKey;
      this.agendaItems = context.agendaItems ? new Set(context.agendaItems) : null;
    }
    const parse = (b: YjsBlock): ReadBlock => ({
      ...b,
      action: parseActionBlock({ text: b.text, checked: b.checked, mentions: b.mentions }, context.attendees, context.sessionDate, {
        ...(context.ticketProjects ? { ticketProjects: context.ticketProjects } : {}),
      }),
      agendaItemId: null,
      position: 0,
      reported: null,
    });
    const fast = !this.structural && reassign.size === 0 ? this.fastPass(parse, assign) : null;
    const result = fast ?? this.fullPass(parse, reassign, assign);
    this.touched.clear();
    this.structural = false;
    return result;
  }

  /** Re-reads the touched blocks in place; null when the change needs the whole structure. */
  private fastPass(parse: (b: YjsBlock) => ReadBlock, assign: boolean): PassResult | null {
    const updates: Array<{ entry: TopLevel; blocks: ReadBlock[] }> = [];
    for (const top of this.touched) {
      const entry = this.byTop.get(top);
      if (!entry) return null;
      const blocks = readTopLevel(top).map(parse);
      if (blocks.length !== entry.blocks.length) return null;
      for (let i = 0; i < blocks.length; i++) {
        const before = entry.blocks[i]!;
        const after = blocks[i]!;
        if (isAgendaHeading(before) || isAgendaHeading(after)) return null;
        // Reported under another id than its own last time (a duplicate left without a fresh id).
        if (before.action && before.actionId !== null && before.reported !== before.actionId) return null;
        // An id that changed (a paste, someone else's assignment) may be another block's: decide globally.
        if (after.actionId !== before.actionId && after.actionId !== null) return null;
        after.agendaItemId = before.agendaItemId;
        after.position = before.position;
      }
      updates.push({ entry, blocks });
    }

    let read = 0;
    const fresh: Array<[ReadBlock, string]> = [];
    for (const { entry, blocks } of updates) {
      read += blocks.length;
      entry.blocks = blocks;
      for (const block of blocks) if (assign && block.action && block.actionId === null) fresh.push([block, this.newId()]);
    }
    this.writeIds(fresh);
    const freshIds = new Map(fresh);

    const changed: ExtractedAction[] = [];
    const kept = new Set<string>();
    const previously: string[] = [];
    for (const { blocks } of updates) {
      for (const block of blocks) {
        const id = freshIds.get(block) ?? block.actionId;
        if (!block.action || id === null) continue;
        block.reported = id;
        kept.add(id);
        const action = this.toAction(block, id);
        const itemKey = itemKeyOf(block.xmlText);
        if (itemKey) this.owners.set(id, itemKey);
        if (this.reported.get(id) !== signature(action)) {
          this.reported.set(id, signature(action));
          changed.push(action);
        }
      }
    }
    // What the touched blocks reported before and no longer do.
    for (const top of this.touched) for (const id of this.previouslyReported.get(top) ?? []) previously.push(id);
    const gone = previously.filter((id) => !kept.has(id));
    for (const id of gone) {
      this.reported.delete(id);
      this.owners.delete(id);
    }
    for (const { entry, blocks } of updates) this.previouslyReported.set(entry.top, blocks.flatMap((b) => (b.reported ? [b.reported] : [])));
    return { all: null, changed, gone, assigned: fresh.length, read };
  }

  private fullPass(parse: (b: YjsBlock) => ReadBlock, reassign: ReadonlySet<string>, assign: boolean): PassResult {
    let read = 0;
    const order: TopLevel[] = [];
    for (const top of topLevelTypes(this.root)) {
      let entry = this.touched.has(top) ? undefined : this.byTop.get(top);
      if (!entry) {
        entry = { top, blocks: readTopLevel(top).map(parse) };
        read += entry.blocks.length;
      }
      order.push(entry);
    }
    this.byTop.clear();
    for (const entry of order) this.byTop.set(entry.top, entry);

    const blocks: ReadBlock[] = [];
    let agendaItemId: string | null = null;
    for (const entry of order) {
      for (const block of entry.blocks) {
        if (block.opensAgendaItem) agendaItemId = block.opensAgendaItem.id !== null && (this.agendaItems?.has(block.opensAgendaItem.id) ?? true) ? block.opensAgendaItem.id : null;
        block.agendaItemId = agendaItemId;
        block.position = blocks.length;
        block.reported = null;
        blocks.push(block);
      }
    }

    // Which block keeps each id: the one that had it last pass, else the first in the document.
    const keeper = new Map<string, ReadBlock>();
    for (const block of blocks) {
      if (!block.action || block.actionId === null || reassign.has(block.actionId)) continue;
      if (!keeper.has(block.actionId) || this.owners.get(block.actionId) === itemKeyOf(block.xmlText)) keeper.set(block.actionId, block);
    }
    const fresh: Array<[ReadBlock, string]> = [];
    if (assign) {
      for (const block of blocks) {
        if (block.action && (block.actionId === null || keeper.get(block.actionId) !== block)) fresh.push([block, this.newId()]);
      }
    }
    this.writeIds(fresh);
    const freshIds = new Map(fresh);

    const all: ExtractedAction[] = [];
    const changed: ExtractedAction[] = [];
    const owners = new Map<string, string>();
    const reported = new Map<string, string>();
    for (const block of blocks) {
      if (!block.action) continue;
      const id = freshIds.get(block) ?? (block.actionId !== null && keeper.get(block.actionId) === block ? block.actionId : null);
      if (id === null) continue;
      block.reported = id;
      const action = this.toAction(block, id);
      all.push(action);
      const itemKey = itemKeyOf(block.xmlText);
      if (itemKey) owners.set(id, itemKey);
      reported.set(id, signature(action));
      if (this.reported.get(id) !== reported.get(id)) changed.push(action);
    }
    const gone = [...this.reported.keys()].filter((id) => !reported.has(id));
    this.owners = owners;
    this.reported = reported;
    this.previouslyReported.clear();
    for (const entry of order) this.previouslyReported.set(entry.top, entry.blocks.flatMap((b) => (b.reported ? [b.reported] : [])));
    return { all, changed, gone, assigned: fresh.length, read };
  }

  private writeIds(fresh: ReadonlyArray<[ReadBlock, string]>): void {
    if (fresh.length === 0) return;
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
  }
}
