// The block model of a session document as the server reads it. Pure types: no Lexical, no Node,
// no DOM. (The action record is shared/api/actions.ts's ActionRecord.)

import type { Mention } from '../actions/types';

export type BlockType = 'paragraph' | 'heading' | 'quote' | 'listitem' | 'table' | 'other';

/**
 * One top-level paragraph, heading, quote or table, or one list item (nested items are blocks
 * too). A table is one block, never an action: its text is its cells', a tab between cells and a
 * line break between rows.
 */
export interface NoteBlock {
  type: BlockType;
  /** Plain text; for a list item only its own line, without nested items. */
  text: string;
  /** true/false for a check-list item, null otherwise. */
  checked: boolean | null;
  mentions: Mention[];
  actionId: string | null;
  /** For a heading: the agenda item it stands for. For any block: the nearest preceding one. */
  agendaItemId: string | null;
  /** Heading tag (h1…h6) for headings, else null. */
  tag: string | null;
  /** List nesting depth, 0 for top-level blocks. */
  depth: number;
}

/** Between a table's rows, cells and a cell's lines, in a table block's text. */
export const TABLE_SEPARATORS = { row: '\n', cell: '\t', line: ' ' } as const;

/** A cell line's text in its table's text: a break or tab inside it is a space, so only rows and cells are apart. */
export const tableCellText = (text: string): string => text.replace(/[\n\t]/g, ' ');
