// Reads a session document's blocks straight from its Yjs structure (README.md, "Structure in
// Yjs"), without building a Lexical tree. It returns what `$readBlocks` (read.ts) returns for the
// same document, block for block (test/shared/yjs-read.test.ts holds the two equal over the
// fixture meeting and randomized concurrent edits); the server uses it because it can read ONE
// top-level block on its own, so extraction re-reads only the blocks an update touched instead of
// rebuilding a whole editor per pass. `$readBlocks` stays the reader wherever an editor exists.

import * as Y from 'yjs';
import { isValidActionId, ACTION_ID_KEY } from './action-id.js';
import { AGENDA_ITEM_ID_KEY, AGENDA_KIND_KEY } from './agenda-state.js';
import { TABLE_SEPARATORS, tableCellText, type BlockType, type NoteBlock } from './model.js';
import type { Mention } from '../actions/types.js';

/** One block of a top-level Yjs block, before the walk over the document gives it its agenda item. */
export interface YjsBlock extends Omit<NoteBlock, 'agendaItemId'> {
  /** The block's own shared type (a list item's, for list items): where its attributes live. */
  xmlText: Y.XmlText;
  /** For agenda headings: the item it opens (null for a block heading, which closes the previous one). */
  opensAgendaItem?: { id: string | null };
}

type Delta = Array<{ insert?: unknown }>;

function stateOf(xmlText: Y.XmlText): Y.Map<unknown> | null {
  const state: unknown = xmlText.getAttribute('__state');
  return state instanceof Y.Map ? state : null;
}

function actionIdOf(xmlText: Y.XmlText): string | null {
  const value = stateOf(xmlText)?.get(ACTION_ID_KEY);
  return isValidActionId(value) ? value : null;
}

/** Same parsing as agenda-state.ts's NodeState definitions. */
function agendaOpening(xmlText: Y.XmlText): { id: string | null } | undefined {
  const state = stateOf(xmlText);
  if (!state) return undefined;
  const raw = state.get(AGENDA_ITEM_ID_KEY);
  const id = typeof raw === 'string' && raw.length > 0 && raw.length <= 128 ? raw : typeof raw === 'number' ? String(raw) : null;
  const kindRaw = state.get(AGENDA_KIND_KEY);
  const kind = kindRaw === 'block' || kindRaw === 'item' ? kindRaw : null;
  return id !== null || kind !== null ? { id } : undefined;
}

function typeOf(shared: Y.XmlText | Y.Map<unknown>): unknown {
  return shared instanceof Y.Map ? shared.get('__type') : shared.getAttribute('__type');
}

/** A string run of one text node: where it sits in its parent's Yjs text, and in the block's text. */
export interface TextRun {
  parent: Y.XmlText;
  /** Index of the run's first character in `parent`. */
  index: number;
  /** Offset of the run's first character in the block's text. */
  start: number;
  length: number;
  /** The text node's properties (`__type`, `__mode`, …). */
  node: Y.Map<unknown> | null;
}

interface InlineAcc {
  text: string;
  mentions: Mention[];
  runs?: TextRun[];
}

/**
 * A text node is a Y.Map (its properties) followed by its string run; a line break is a Y.Map
 * alone; links are embedded element XmlTexts; nested lists are blocks of their own.
 */
function collectInlines(parent: Y.XmlText, acc: InlineAcc): void {
  let mention: Mention | null = null;
  let node: Y.Map<unknown> | null = null;
  let index = 0;
  for (const op of parent.toDelta() as Delta) {
    const insert = op.insert;
    if (typeof insert === 'string') {
      if (node?.get('__type') === 'tab') {
        // Lexical's TabNode is always one tab (read when its map is): text a concurrent edit put
        // into its run is not shown, so not read either.
        index += insert.length;
        continue;
      }
      acc.runs?.push({ parent, index, start: acc.text.length, length: insert.length, node });
      index += insert.length;
      acc.text += insert;
      if (mention) {
        mention.end = acc.text.length;
        mention.name = acc.text.slice(mention.start, mention.end).replace(/^@/, '');
      }
      continue;
    }
    mention = null;
    node = insert instanceof Y.Map ? insert : null;
    index += 1;
    if (insert instanceof Y.Map) {
      const type = insert.get('__type');
      if (type === 'linebreak') acc.text += '\n';
      // A tab shows even when a concurrent delete took its character and left its map.
      else if (type === 'tab') acc.text += '\t';
      else if (type === 'mention') {
        mention = { start: acc.text.length, end: acc.text.length, name: '' };
        const attendeeId = insert.get('__attendeeId');
        const handle = insert.get('__handle');
        if (typeof attendeeId === 'string' && attendeeId !== '') mention.attendeeId = attendeeId;
        if (typeof handle === 'string' && handle !== '') mention.handle = handle;
        acc.mentions.push(mention);
      }
    } else if (insert instanceof Y.XmlText) {
      if (insert.getAttribute('__type') !== 'list') collectInlines(insert, acc);
    }
  }
}

/** A block's text with the runs it is made of (for writing into it at a text offset). */
export function blockTextRuns(xmlText: Y.XmlText): { text: string; runs: TextRun[] } {
  const acc: Required<InlineAcc> = { text: '', mentions: [], runs: [] };
  collectInlines(xmlText, acc);
  return { text: acc.text, runs: acc.runs };
}

/** Lexical nests a list inside an item that holds nothing else: that item is not a line. */
function isWrapperItem(children: Delta): boolean {
  return children.length > 0 && children.every((op) => op.insert instanceof Y.XmlText && op.insert.getAttribute('__type') === 'list');
}

function block(xmlText: Y.XmlText, type: BlockType, fields: Partial<YjsBlock> = {}): YjsBlock {
  const acc: InlineAcc = { text: '', mentions: [] };
  collectInlines(xmlText, acc);
  return { xmlText, type, text: acc.text, mentions: acc.mentions, checked: null, actionId: actionIdOf(xmlText), tag: null, depth: 0, ...fields };
}

function visitList(list: Y.XmlText, depth: number, out: YjsBlock[]): void {
  const listType = (list.getAttribute('__listType') as string | undefined) ?? null;
  for (const op of list.toDelta() as Delta) {
    const item = op.insert;
    if (!(item instanceof Y.XmlText) || item.getAttribute('__type') !== 'listitem') continue;
    const children = item.toDelta() as Delta;
    if (!isWrapperItem(children)) {
      out.push(block(item, 'listitem', { depth, checked: listType === 'check' ? item.getAttribute('__checked') === true : null }));
    }
    for (const child of children) {
      if (child.insert instanceof Y.XmlText && child.insert.getAttribute('__type') === 'list') visitList(child.insert, depth + 1, out);
    }
  }
}

/** The lines of a table cell: its blocks, and the items of a list in it. */
function cellLines(cell: Y.XmlText): Y.XmlText[] {
  const lines: Y.XmlText[] = [];
  for (const op of cell.toDelta() as Delta) {
    if (!(op.insert instanceof Y.XmlText)) continue;
    if (op.insert.getAttribute('__type') !== 'list') lines.push(op.insert);
    else {
      const items: YjsBlock[] = [];
      visitList(op.insert, 0, items);
      lines.push(...items.map((item) => item.xmlText));
    }
  }
  return lines;
}

/** A table's rows, each row's cells, each cell's lines (the shared types holding their text). */
export function tableLines(table: Y.XmlText): Y.XmlText[][][] {
  const rows: Y.XmlText[][][] = [];
  for (const row of table.toDelta() as Delta) {
    if (!(row.insert instanceof Y.XmlText)) continue;
    const cells: Y.XmlText[][] = [];
    for (const cell of row.insert.toDelta() as Delta) if (cell.insert instanceof Y.XmlText) cells.push(cellLines(cell.insert));
    rows.push(cells);
  }
  return rows;
}


/** A table as read.ts's $readTable reads it: a tab between cells, a line break between rows, a space between a cell's lines. */
function tableBlock(table: Y.XmlText): YjsBlock {
  const acc: InlineAcc = { text: '', mentions: [] };
  tableLines(table).forEach((cells, r) => {
    if (r > 0) acc.text += TABLE_SEPARATORS.row;
    cells.forEach((lines, c) => {
      if (c > 0) acc.text += TABLE_SEPARATORS.cell;
      lines.forEach((line, l) => {
        if (l > 0) acc.text += TABLE_SEPARATORS.line;
        const read: InlineAcc = { text: '', mentions: [] };
        collectInlines(line, read);
        for (const mention of read.mentions) acc.mentions.push({ ...mention, start: mention.start + acc.text.length, end: mention.end + acc.text.length });
        acc.text += tableCellText(read.text);
      });
    });
  });
  return { xmlText: table, type: 'table', text: acc.text, mentions: acc.mentions, checked: null, actionId: null, tag: null, depth: 0 };
}

/** The blocks of one top-level shared type (several for a list, none for a decorator). */
export function readTopLevel(shared: unknown): YjsBlock[] {
  if (!(shared instanceof Y.XmlText)) return [];
  switch (typeOf(shared)) {
    case 'heading': {
      const opening = agendaOpening(shared);
      return [block(shared, 'heading', { tag: (shared.getAttribute('__tag') as string | undefined) ?? null, ...(opening ? { opensAgendaItem: opening } : {}) })];
    }
    case 'list': {
      const out: YjsBlock[] = [];
      visitList(shared, 0, out);
      return out;
    }
    case 'quote':
      return [block(shared, 'quote')];
    case 'table':
      return [tableBlock(shared)];
    case 'paragraph':
      return [block(shared, 'paragraph')];
    default:
      return [block(shared, 'other')];
  }
}

/** The agenda item a top-level block opens, if it is an agenda heading (read without its text). */
export function agendaHeadingOf(shared: unknown): { id: string | null } | undefined {
  return shared instanceof Y.XmlText && typeOf(shared) === 'heading' ? agendaOpening(shared) : undefined;
}

/** The top-level shared types of a session document's root, in order. */
export function topLevelTypes(root: Y.XmlText): unknown[] {
  const out: unknown[] = [];
  // The item list directly: toDelta would copy every top-level attribute set per call.
  for (let item = root._start; item !== null; item = item.right) {
    if (!item.deleted && item.countable && item.content instanceof Y.ContentType) out.push(item.content.type);
  }
  return out;
}

/** Every block in document order with its agenda item: `$readBlocks` without an editor. */
export function readYjsBlocks(root: Y.XmlText): Array<YjsBlock & { agendaItemId: string | null }> {
  return withAgendaItems(topLevelTypes(root).flatMap(readTopLevel));
}

/** Gives each block the agenda item of the nearest preceding agenda heading (its own, for one). */
export function withAgendaItems<T extends YjsBlock>(blocks: readonly T[]): Array<T & { agendaItemId: string | null }> {
  let agendaItemId: string | null = null;
  return blocks.map((b) => {
    if (b.opensAgendaItem) agendaItemId = b.opensAgendaItem.id;
    return { ...b, agendaItemId };
  });
}
