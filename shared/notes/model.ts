// The block model of a session document as the server reads it. Pure types: no Lexical, no Node,
// no DOM. (The action record is shared/api/actions.ts's ActionRecord.)

import type { Mention } from '../actions/types';

export type BlockType = 'paragraph' | 'heading' | 'quote' | 'listitem' | 'other';

/** One top-level paragraph, heading or quote, or one list item (nested items are blocks too). */
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
