// The block model of a session document as the server reads it, and the action record both sides
// see (REST, live push, Actions panel). Pure types: no Lexical, no Node, no DOM.

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

export interface ActionAssignee {
  id: string | null;
  name: string;
  handle: string | null;
}

/** An action record as stored in action_items and pushed to clients. */
export interface ActionRecord {
  id: string;
  meetingId: string | null;
  sessionId: string | null;
  agendaItemId: string | null;
  doc: string;
  description: string;
  sourceText: string;
  assignees: ActionAssignee[];
  /** Raw assignee tokens as typed. */
  assigneeText: string[];
  everyone: boolean;
  /** YYYY-MM-DD */
  due: string | null;
  done: boolean;
  tickets: string[];
  /** Order of the block in its document. */
  position: number;
  /** ISO time the block disappeared from the notes, null while present. */
  removedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/**
 * Control message the server pushes to every connection of a session document after an
 * extraction pass changed records: `actions` is the full current list of the document's present
 * actions (in document order), `removed` the ids that left it in this pass.
 */
export interface ActionsControlMessage {
  type: 'actions';
  doc: string;
  meetingId: string | null;
  sessionId: string | null;
  actions: ActionRecord[];
  removed: string[];
}
