// The description: the body after the leading assignees, without the due phrase, otherwise as
// typed. Only the seams left by a cut are tidied.

import type { Range } from './text';

const OPENING_PUNCT = /^[,;:.!?)]/u;
const SEPARATOR_END = /[,;:\u2013\u2014-]$/u;
const EDGE_PUNCT_START = /^[\s,;:\u2013\u2014-]+/u;
const EDGE_PUNCT_END = /[\s,;:\u2013\u2014-]+$/u;

/** Removes [cut.start, cut.end) from s and closes the seam: "for the PST, due X." → "for the PST." */
function cutOut(s: string, cut: Range): string {
  let left = s.slice(0, cut.start).trimEnd();
  let right = s.slice(cut.end).trimStart();
  // "(due Friday)" leaves no empty parentheses behind.
  if (left.endsWith('(') && right.startsWith(')')) {
    left = left.slice(0, -1).trimEnd();
    right = right.slice(1).trimStart();
  }
  if (OPENING_PUNCT.test(right) && SEPARATOR_END.test(left)) left = left.slice(0, -1).trimEnd();
  if (left === '') return right;
  if (right === '') return left;
  return OPENING_PUNCT.test(right) ? left + right : `${left} ${right}`;
}

/** Trims whitespace and the separators that only joined the removed parts to the rest. */
function tidyEdges(s: string): string {
  return s.replace(EDGE_PUNCT_START, '').replace(EDGE_PUNCT_END, '');
}

const ONLY_LEADING_PUNCT = /^[\s,;:(\u2013\u2014-]*$/u;
const ONLY_TRAILING_PUNCT = /^[\s.,;:!?)]*$/u;
const PRECEDING_ON = /(?<![\p{L}\p{N}_])on\s+$/iu;

/**
 * Which part of the text leaves the description for the due date. A due phrase ("by Friday")
 * always does. An unanchored date does at the start ("Fritz Mueller 15 Mar 2017 port…") or the
 * end ("… on 2017-03-20"), with an "on" before it, but not mid-sentence, where cutting it would
 * garble the sentence.
 */
export function dueCut(text: string, descriptionStart: number, phrase: Range, anchored: boolean): Range | null {
  if (phrase.start < descriptionStart) return null;
  if (anchored) return phrase;
  const before = text.slice(descriptionStart, phrase.start);
  const on = PRECEDING_ON.exec(before);
  const start = on ? descriptionStart + on.index : phrase.start;
  const atStart = ONLY_LEADING_PUNCT.test(text.slice(descriptionStart, start));
  const atEnd = ONLY_TRAILING_PUNCT.test(text.slice(phrase.end));
  return atStart || atEnd ? { start, end: phrase.end } : null;
}

export function buildDescription(text: string, descriptionStart: number, cut: Range | null): string {
  const region = text.slice(descriptionStart);
  const body = cut ? cutOut(region, { start: cut.start - descriptionStart, end: cut.end - descriptionStart }) : region;
  return tidyEdges(body);
}
