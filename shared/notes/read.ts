// Reads a session document's Lexical tree as a flat list of blocks: each top-level paragraph,
// heading, quote or table, and each list item (nested items too, in document order). The one
// reader of blocks: the server extracts actions from what it returns, and the page highlights and
// gives ids to exactly those blocks. A table is one block, for exports and search, and holds no
// action: lines in its cells are never read as actions. `$` functions: call inside editor.read /
// editor.update.

import { $getRoot, $isRootNode, $isElementNode, $isLineBreakNode, $isParagraphNode, $isTextNode, $isDecoratorNode, IS_BOLD, IS_CODE, IS_ITALIC, IS_STRIKETHROUGH, type ElementNode, type LexicalNode, type NodeKey } from 'lexical';
import { $isHeadingNode, $isQuoteNode } from '@lexical/rich-text';
import { $isListItemNode, $isListNode, type ListItemNode, type ListNode } from '@lexical/list';
import { $isLinkNode } from '@lexical/link';
import { $isTableCellNode, $isTableNode, TableCellHeaderStates } from '@lexical/table';
import { $isMentionNode } from './nodes.js';
import { $getActionId } from './action-id.js';
import { $getAgendaItemId, $getAgendaKind } from './agenda-state.js';
import { TABLE_SEPARATORS, tableCellText, type NoteBlock } from './model.js';
import type { Mention } from '../actions/index.js';

/** A run of text with its formatting, for exports. */
export interface Inline {
  text: string;
  href?: string;
  bold?: boolean;
  italic?: boolean;
  code?: boolean;
  strikethrough?: boolean;
}

export interface ReadBlock extends NoteBlock {
  /** The node's key in the editor that read it (valid only there). */
  key: NodeKey;
  /** 'bullet' | 'number' | 'check' for list items. */
  listType: string | null;
  inlines: Inline[];
  /** For a table: its rows, each cell's inlines (a cell's lines joined by line breaks). */
  rows?: Inline[][][];
  /** For a table: its first row is a header row (every cell of it a header). */
  headerRow?: boolean;
}

interface InlineAcc {
  text: string;
  mentions: Mention[];
  inlines: Inline[];
}

function $collectInlines(parent: ElementNode, acc: InlineAcc, href: string | undefined): void {
  for (const child of parent.getChildren()) {
    if ($isListNode(child)) continue; // nested list: its items are blocks of their own
    if ($isMentionNode(child)) {
      const start = acc.text.length;
      acc.text += child.getTextContent();
      const mention: Mention = { start, end: acc.text.length, name: child.getTextContent().replace(/^@/, '') };
      if (child.getAttendeeId() !== '') mention.attendeeId = child.getAttendeeId();
      if (child.getHandle() !== '') mention.handle = child.getHandle();
      acc.mentions.push(mention);
      acc.inlines.push({ text: child.getTextContent(), ...(href ? { href } : {}) });
    } else if ($isTextNode(child)) {
      const text = child.getTextContent();
      acc.text += text;
      const format = child.getFormat();
      const inline: Inline = { text };
      if (href) inline.href = href;
      if (format & IS_BOLD) inline.bold = true;
      if (format & IS_ITALIC) inline.italic = true;
      if (format & IS_CODE) inline.code = true;
      if (format & IS_STRIKETHROUGH) inline.strikethrough = true;
      acc.inlines.push(inline);
    } else if ($isLineBreakNode(child)) {
      acc.text += '\n';
      acc.inlines.push({ text: '\n' });
    } else if ($isLinkNode(child)) {
      $collectInlines(child, acc, child.getURL());
    } else if ($isElementNode(child)) {
      $collectInlines(child, acc, href);
    } else if ($isDecoratorNode(child)) {
      const text = child.getTextContent();
      acc.text += text;
      acc.inlines.push({ text });
    }
  }
}

function $inlinesOf(node: ElementNode): InlineAcc {
  const acc: InlineAcc = { text: '', mentions: [], inlines: [] };
  $collectInlines(node, acc, undefined);
  return acc;
}

/**
 * A table's text and cells: a tab between cells, a line break between rows, a space between the
 * lines of one cell (a line break in its inlines) and for a break or tab inside one. yjs-read.ts
 * reads the same from Yjs.
 */
function $readTable(table: ElementNode): InlineAcc & { rows: Inline[][][] } {
  const acc: InlineAcc = { text: '', mentions: [], inlines: [] };
  const rows: Inline[][][] = [];
  for (const row of table.getChildren()) {
    if (!$isElementNode(row)) continue;
    if (rows.length > 0) acc.text += TABLE_SEPARATORS.row;
    const cells: Inline[][] = [];
    for (const cell of row.getChildren()) {
      if (!$isElementNode(cell)) continue;
      if (cells.length > 0) acc.text += TABLE_SEPARATORS.cell;
      const first = acc.inlines.length;
      let lines = 0;
      for (const line of cell.getChildren().flatMap((child) => ($isListNode(child) ? $blockNodesOf(child) : $isElementNode(child) ? [child] : []))) {
        if (lines++ > 0) {
          acc.text += TABLE_SEPARATORS.line;
          acc.inlines.push({ text: '\n' });
        }
        const read = $inlinesOf(line);
        for (const mention of read.mentions) acc.mentions.push({ ...mention, start: mention.start + acc.text.length, end: mention.end + acc.text.length });
        acc.text += tableCellText(read.text);
        acc.inlines.push(...read.inlines);
      }
      cells.push(acc.inlines.slice(first));
    }
    rows.push(cells);
  }
  return { ...acc, rows };
}

/** Lexical nests a list inside an item that holds nothing else: that item is not a line. */
function $isWrapperItem(item: ListItemNode): boolean {
  const children = item.getChildren();
  return children.length > 0 && children.every($isListNode);
}

/** Whether $readBlocks reads this node as a block of its own that can be an action. */
export function $isBlock(node: LexicalNode): node is ElementNode {
  if ($isListItemNode(node)) return !$isWrapperItem(node);
  return $isElementNode(node) && !$isListNode(node) && !$isTableNode(node) && $isRootNode(node.getParent());
}

/** What the action grammar reads of one block: its text, check state and mentions. */
export function $blockInput(node: ElementNode): Pick<NoteBlock, 'text' | 'checked' | 'mentions'> {
  const { text, mentions } = $inlinesOf(node);
  let checked: boolean | null = null;
  if ($isListItemNode(node)) {
    const list = node.getParent();
    if ($isListNode(list) && list.getListType() === 'check') checked = node.getChecked() === true;
  }
  return { text, checked, mentions };
}

/**
 * The blocks a top-level node holds that can be actions, in order, as $readBlocks reads them: the
 * node itself, or a list's items (nested ones too, without the items that only wrap a nested
 * list); none for a table.
 */
export function $blockNodesOf(node: LexicalNode): ElementNode[] {
  if ($isTableNode(node)) return [];
  if (!$isListNode(node)) return $isElementNode(node) ? [node] : [];
  const blocks: ElementNode[] = [];
  const $visitList = (list: ListNode): void => {
    for (const item of list.getChildren()) {
      if (!$isListItemNode(item)) continue;
      if (!$isWrapperItem(item)) blocks.push(item);
      for (const child of item.getChildren()) if ($isListNode(child)) $visitList(child);
    }
  };
  $visitList(node);
  return blocks;
}

/** Every block of the document in order, with the agenda item each one sits under. */
export function $readBlocks(): ReadBlock[] {
  const blocks: ReadBlock[] = [];
  let agendaItemId: string | null = null;

  const push = (node: ElementNode, fields: Partial<ReadBlock> & Pick<ReadBlock, 'type'>): void => {
    const { text, mentions, inlines } = $inlinesOf(node);
    blocks.push({
      key: node.getKey(),
      text,
      mentions,
      inlines,
      checked: null,
      actionId: $getActionId(node),
      agendaItemId,
      tag: null,
      depth: 0,
      listType: null,
      ...fields,
    });
  };

  const $visitList = (list: ListNode, depth: number): void => {
    const listType = list.getListType();
    for (const item of list.getChildren()) {
      if (!$isListItemNode(item)) continue;
      const nested = item.getChildren().filter($isListNode);
      if (!$isWrapperItem(item)) {
        push(item, {
          type: 'listitem',
          depth,
          listType,
          checked: listType === 'check' ? item.getChecked() === true : null,
        });
      }
      for (const child of nested) $visitList(child, depth + 1);
    }
  };

  for (const node of $getRoot().getChildren()) {
    if ($isHeadingNode(node)) {
      const id = $getAgendaItemId(node);
      const kind = $getAgendaKind(node);
      // An agenda heading opens its item's section; a block heading closes the previous item's.
      if (id !== null || kind !== null) agendaItemId = id;
      push(node, { type: 'heading', tag: node.getTag() });
    } else if ($isListNode(node)) {
      $visitList(node, 0);
    } else if ($isQuoteNode(node)) {
      push(node, { type: 'quote' });
    } else if ($isTableNode(node)) {
      const { text, mentions, inlines, rows } = $readTable(node);
      const first = node.getFirstChild();
      const headerRow =
        $isElementNode(first) && first.getChildrenSize() > 0 && first.getChildren().every((cell) => $isTableCellNode(cell) && (cell.getHeaderStyles() & TableCellHeaderStates.ROW) !== 0);
      blocks.push({ key: node.getKey(), text, mentions, inlines, rows, headerRow, checked: null, actionId: null, agendaItemId, tag: null, depth: 0, listType: null, type: 'table' });
    } else if ($isParagraphNode(node)) {
      push(node, { type: 'paragraph' });
    } else if ($isElementNode(node)) {
      push(node, { type: 'other' });
    }
  }
  return blocks;
}
