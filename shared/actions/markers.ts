// The markers that make a block an action item (shared/actions/README.md).

import type { ActionKind } from './types';
import { continuesWord } from './text';

export interface Marker {
  kind: ActionKind;
  /** Whether the marker itself says the action is done ([x], ✓, DONE). */
  done: boolean;
  /** The marker's own characters, e.g. "ACTION:" or "[ ]". */
  start: number;
  end: number;
  /** Where the body begins: after the marker and the whitespace that follows it. */
  bodyStart: number;
}

// "[ ] ", "[] ", "[x] " typed in a block that is not a check list (e.g. imported Markdown). The
// space (or the end of the text, while typing) is required so "[x]y" and "[1]" stay ordinary.
const CHECKBOX = /^(\s*)(\[([ xX]?)\])(?=\s|$)\s*/;
// "ACTION:", "Action item:", "TODO:", any case; the colon keeps "Todo list for today" ordinary.
const LABEL = /^(\s*)((action(?:[ \t]+item)?|todo)[ \t]*:)\s*/i;
// Check marks; the optional U+FE0F asks for the emoji presentation.
const CHECK_MARK = /^(\s*)([\u2713\u2714\u2611\u2705]\uFE0F?)\s*/;
// "DONE" only in capitals ("Done with the review, moving on" is a note), or "Done:" in any case.
const DONE_CAPS = /^(\s*)(DONE(?:[ \t]*:)?)/;
const DONE_COLON = /^(\s*)(done[ \t]*:)/i;

function build(kind: ActionKind, done: boolean, text: string, lead: string, marker: string): Marker {
  const start = lead.length;
  const end = start + marker.length;
  let bodyStart = end;
  while (bodyStart < text.length && /\s/.test(text[bodyStart] as string)) bodyStart++;
  return { kind, done, start, end, bodyStart };
}

/** Finds an action marker at the start of the text. */
export function findMarker(text: string): Marker | null {
  let m = CHECKBOX.exec(text);
  if (m) {
    const box = m[3] ?? '';
    return build('check', box === 'x' || box === 'X', text, m[1] ?? '', m[2] ?? '');
  }
  m = LABEL.exec(text);
  if (m) {
    const label = (m[3] ?? '').toLowerCase();
    return build(label === 'todo' ? 'todo' : 'action', false, text, m[1] ?? '', m[2] ?? '');
  }
  m = CHECK_MARK.exec(text);
  if (m) return build('done', true, text, m[1] ?? '', m[2] ?? '');
  m = DONE_COLON.exec(text) ?? DONE_CAPS.exec(text);
  if (m) {
    const lead = m[1] ?? '';
    const marker = m[2] ?? '';
    // "DONEGAL", "DONE-ish" are words, not the marker.
    if (!continuesWord(text, lead.length + marker.length)) return build('done', true, text, lead, marker);
  }
  return null;
}

/**
 * Cheap test for highlighting while typing: does the text start with an action marker?
 * (A check-list item is an action whatever its text; the editor knows that without us.)
 */
export function isActionText(text: string): boolean {
  return findMarker(text) !== null;
}
