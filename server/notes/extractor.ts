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
import { readTopLevel, topLevelTypes, withAgendaItems, type YjsBlock } from '../../shared/notes/yjs-read.js';
import type { ActionAssignee } from '../../shared/api/actions.js';

export interface ExtractContext {
  attendees: Attendee[];
  /** YYYY-MM-DD: relative dates resolve from it. */
  sessionDate: string;
  ticketProjects?: string[];
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
  actions: ExtractedAction[];
  /** How many blocks received a fresh id in this pass (written to the document with `origin`). */
  assigned: number;
  /** How many blocks this pass read and parsed (the rest came from earlier passes). */
  read: number;
  /** All blocks of the document. */
  blocks: number;
}

export interface ExtractorOptions {
  /** Makes ids; tests may inject a deterministic one. */
  newId?: () => string;
  /** The transaction origin of the id writes (the server's own edits are persisted and relayed). */
  origin?: unknown;
}

interface ReadBlock extends YjsBlock {
  action: ParsedAction | null;
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

export class SessionExtractor {
  private readonly root: Y.XmlText;
  /** What the last pass read of each top-level block, by its shared type. */
  private cache = new Map<unknown, ReadBlock[]>();
  /** Top-level blocks changed since the last pass. */
  private readonly touched = new Set<unknown>();
  /** The context the cached parses were made with: another one re-parses everything. */
  private contextKey = '';
  /** Which block (Yjs item) held each id in the previous pass: it keeps the id when pasted. */
  private owners = new Map<string, string>();
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

  /** Marks the top-level block of every changed type; changes to the root itself add or drop blocks, read anyway. */
  private readonly onEvents = (events: Array<Y.YEvent<Y.AbstractType<unknown>>>): void => {
    for (const event of events) {
      let type: Y.AbstractType<unknown> = event.target;
      while (type._item !== null && type._item.parent !== this.root) type = type._item.parent as Y.AbstractType<unknown>;
      if (type !== this.root && type._item !== null) this.touched.add(type);
    }
  };

  /**
   * Reads the blocks, parses action blocks, and decides ids: an action block without an id, with
   * an id another block kept, or with one of `reassign` (ids that belong to another document) is
   * given a fresh one, written into the document. With `assign` false (the document is going away)
   * such blocks are left out until a later load gives them ids.
   */
  pass(context: ExtractContext, reassign: ReadonlySet<string> = new Set(), assign = true): PassResult {
    const contextKey = JSON.stringify([context.attendees, context.sessionDate, context.ticketProjects ?? null]);
    if (contextKey !== this.contextKey) {
      this.cache.clear();
      this.contextKey = contextKey;
    }
    const parse = (b: YjsBlock): ReadBlock => ({
      ...b,
      action: parseActionBlock({ text: b.text, checked: b.checked, mentions: b.mentions }, context.attendees, context.sessionDate, {
        ...(context.ticketProjects ? { ticketProjects: context.ticketProjects } : {}),
      }),
    });

    let read = 0;
    const next = new Map<unknown, ReadBlock[]>();
    const flat: ReadBlock[] = [];
    for (const top of topLevelTypes(this.root)) {
      let blocks = this.touched.has(top) ? undefined : this.cache.get(top);
      if (!blocks) {
        blocks = readTopLevel(top).map(parse);
        read += blocks.length;
      }
      next.set(top, blocks);
      for (const b of blocks) flat.push(b);
    }
    this.cache = next;
    this.touched.clear();
    const blocks = withAgendaItems(flat);

    // Which block keeps each id: the one that had it last pass, else the first in the document.
    const keeper = new Map<string, number>();
    blocks.forEach((block, index) => {
      if (!block.action || block.actionId === null || reassign.has(block.actionId)) return;
      const current = keeper.get(block.actionId);
      if (current === undefined || this.owners.get(block.actionId) === itemKeyOf(block.xmlText)) keeper.set(block.actionId, index);
    });

    const fresh = new Map<number, string>();
    if (assign) {
      blocks.forEach((block, index) => {
        if (block.action && (block.actionId === null || keeper.get(block.actionId) !== index)) fresh.set(index, this.newId());
      });
    }
    if (fresh.size > 0) {
      this.doc.transact(() => {
        for (const [index, id] of fresh) writeActionId(blocks[index]!.xmlText, id);
      }, this.origin);
    }

    const actions: ExtractedAction[] = [];
    const owners = new Map<string, string>();
    blocks.forEach((block, index) => {
      const action = block.action;
      if (!action) return;
      const id = fresh.get(index) ?? (keeper.get(block.actionId ?? '') === index ? block.actionId : null);
      if (id === null) return;
      const itemKey = itemKeyOf(block.xmlText);
      if (itemKey) owners.set(id, itemKey);
      actions.push({
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
        position: index,
        kind: action.kind,
      });
    });
    this.owners = owners;
    return { actions, assigned: fresh.size, read, blocks: blocks.length };
  }

  dispose(): void {
    this.root.unobserveDeep(this.onEvents);
    this.cache.clear();
    this.touched.clear();
  }
}
