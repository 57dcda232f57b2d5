// Agenda headings in a session document carry the id of the agenda item they stand for, so the
// server can attach actions to agenda items and clients can show which item each notetaker is in.
// In the Yjs document it is the 'agendaItemId' entry of the heading's `__state` Y.Map.

import { $getState, $setState, createState, type LexicalNode } from 'lexical';

export const AGENDA_ITEM_ID_KEY = 'agendaItemId';
/** 'block' for an agenda block (group of items with a moderator), 'item' for an agenda item. */
export const AGENDA_KIND_KEY = 'agendaKind';

export type AgendaKind = 'block' | 'item';

export const agendaItemIdState = createState(AGENDA_ITEM_ID_KEY, {
  parse: (value: unknown): string | null =>
    typeof value === 'string' && value.length > 0 && value.length <= 128 ? value : typeof value === 'number' ? String(value) : null,
  // A split heading is not the same agenda item twice.
  resetOnCopyNode: true,
});

export const agendaKindState = createState(AGENDA_KIND_KEY, {
  parse: (value: unknown): AgendaKind | null => (value === 'block' || value === 'item' ? value : null),
  resetOnCopyNode: true,
});

export function $getAgendaItemId(node: LexicalNode): string | null {
  return $getState(node, agendaItemIdState);
}

export function $setAgendaItemId<T extends LexicalNode>(node: T, id: string | null): T {
  return $setState(node, agendaItemIdState, id);
}

export function $getAgendaKind(node: LexicalNode): AgendaKind | null {
  return $getState(node, agendaKindState);
}

export function $setAgendaKind<T extends LexicalNode>(node: T, kind: AgendaKind | null): T {
  return $setState(node, agendaKindState, kind);
}
