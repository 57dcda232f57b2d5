// parseActionBlock: one block of the notes in, one structured action (or null) out. Pure, so the
// browser (highlighting) and the server (authoritative extraction) always agree.

import { createDirectory, readInlineMentions, readLeadingAssignees, validMentions, type AssigneeToken } from './assignees';
import { findDueDate } from './dates';
import { buildDescription, dueCut } from './description';
import { findMarker } from './markers';
import { maskRanges, overlaps, skipSpaces, type Range } from './text';
import { findTickets } from './tickets';
import type { ActionBlockInput, ActionKind, ActionSpan, Attendee, ParsedAction, ParseOptions } from './types';

function unique<T>(xs: readonly T[]): T[] {
  return [...new Set(xs)];
}

function span(kind: ActionSpan['kind'], r: Range): ActionSpan {
  return { kind, start: r.start, end: r.end };
}

/**
 * Parses a block of the notes as an action item, or returns null when it is not one.
 *
 * A check-list item (checked is true or false) is always an action and its checkbox alone says
 * whether it is done, so ticking the record and ticking the line can never disagree; a marker
 * typed in its text ("TODO:", "✓") is still removed. Any other block needs a marker at the start.
 * A marker with nothing after it is not an action yet (null), so typing "[ ] " creates no record.
 *
 * @param sessionDate YYYY-MM-DD; relative and year-less dates resolve from it (throws if invalid).
 */
export function parseActionBlock(
  block: ActionBlockInput,
  attendees: readonly Attendee[],
  sessionDate: string,
  options: ParseOptions = {},
): ParsedAction | null {
  const text = typeof block.text === 'string' ? block.text : '';
  const isCheckItem = block.checked !== null && block.checked !== undefined;
  const marker = findMarker(text);
  if (!isCheckItem && !marker) return null;

  const bodyStart = marker ? marker.bodyStart : skipSpaces(text, 0);
  if (text.slice(bodyStart).trim() === '') return null;
  const kind: ActionKind = isCheckItem || !marker ? 'check' : marker.kind;
  const done = isCheckItem ? block.checked === true : marker?.done === true;

  const dir = createDirectory(attendees);
  const mentions = validMentions(block.mentions, text).filter((m) => m.start >= bodyStart);
  const leading = readLeadingAssignees(text, bodyStart, dir, mentions);
  const tokens: AssigneeToken[] = [
    ...leading.tokens,
    ...readInlineMentions(text, bodyStart, dir, mentions, leading.tokens),
  ].sort((a, b) => a.start - b.start);
  const tickets = findTickets(text, bodyStart, options.ticketProjects).filter((t) => !tokens.some((tok) => overlaps(tok, t)));

  const markerRange: Range[] = marker ? [{ start: marker.start, end: marker.end }] : [];
  const masked = maskRanges(text, [...markerRange, ...tokens, ...tickets]);
  const due = findDueDate(masked, bodyStart, sessionDate);
  const cut = due ? dueCut(text, leading.descriptionStart, due.phrase, due.anchored) : null;

  const spans: ActionSpan[] = [
    ...markerRange.map((r) => span('marker', r)),
    ...tokens.map((t) => span('assignee', t)),
    ...(due ? [span('due', due.phrase)] : []),
    ...tickets.map((t) => span('ticket', t)),
  ].sort((a, b) => a.start - b.start);

  return {
    kind,
    assignees: unique(tokens.flatMap((t) => (t.attendee ? [t.attendee] : []))),
    assigneeText: unique(tokens.map((t) => t.text)),
    unresolved: unique(tokens.filter((t) => !t.attendee && !t.everyone && t.text.startsWith('@') && t.text.length > 1).map((t) => t.text.slice(1))).filter((h, i, all) => all.findIndex((o) => o.toLowerCase() === h.toLowerCase()) === i),
    everyone: tokens.some((t) => t.everyone),
    due: due?.date ?? null,
    done,
    tickets: unique(tickets.map((t) => t.key)),
    description: buildDescription(text, leading.descriptionStart, cut),
    spans,
  };
}
