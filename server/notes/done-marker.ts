// Ticking an action that is not a check-list item ("ACTION: …", "TODO: …", "[ ] …" typed as
// text, "✓ …", "DONE …"): the done state lives in the marker, so the server rewrites the marker
// and nothing else, keeping the description (and so the record) the same:
//   tick:   "[ ]" → "[x]",   "ACTION:" / "TODO:" → "DONE:"
//   untick: "[x]" → "[ ]",   "✓" / "DONE" / "DONE:" → "ACTION:"
// Check-list items are ticked through their checkbox (`__checked`) instead.

import { findMarker } from '../../shared/actions/markers.js';

export interface MarkerEdit {
  start: number;
  end: number;
  replacement: string;
}

/** The edit that makes `text` say done/not done, or null when it already does or has no marker. */
export function doneMarkerEdit(text: string, done: boolean): MarkerEdit | null {
  const marker = findMarker(text);
  if (!marker || marker.done === done) return null;
  const original = text.slice(marker.start, marker.end);
  let replacement: string;
  if (marker.kind === 'check') replacement = done ? '[x]' : '[ ]';
  else if (done) replacement = 'DONE:';
  else replacement = 'ACTION:';
  // "✓foo": the marker touches the body; keep a space after the new label.
  if (!done && marker.end === marker.bodyStart && marker.end < text.length) replacement += ' ';
  if (replacement === original) return null;
  return { start: marker.start, end: marker.end, replacement };
}
