// Inline Markdown read into the runs the notes hold (NoteInline, as the exports write them): bold,
// italics, strikethrough, code, links with their labels; escapes as the characters they escape.
// The subset of CommonMark that notes use and that Quorum's own export writes, with its flanking
// rules where they matter for minutes ("2 * 3 * 4" and snake_case are not emphasis).

import type { NoteInline } from '../../shared/api/index.js';
import { wholeUrl } from '../../shared/notes/urls.js';

type Format = Omit<NoteInline, 'text'>;

/** A backslash before ASCII punctuation makes it a literal character. */
const ESCAPABLE = /[!-/:-@[-`{-~]/;
const ESCAPED = new RegExp(`\\\\(${ESCAPABLE.source})`, 'g');

/**
 * CommonMark's autolink at `at`: `<https://…>`, `<mailto:…>`, or `<ops@example.org>`, an e-mail
 * address as the notes read one (shared/notes/urls.ts).
 */
function autolinkAt(text: string, at: number): { text: string; href: string; end: number } | null {
  const angled = /^<([^<>\s]+)>/.exec(text.slice(at));
  if (!angled) return null;
  const inner = angled[1]!;
  const end = at + angled[0].length;
  if (/^(?:https?|mailto):/i.test(inner)) return { text: inner, href: inner, end };
  const email = wholeUrl(inner);
  return email?.href.startsWith('mailto:') ? { text: inner, href: email.href, end } : null;
}

/**
 * The steps a line's markup may take to read: each mark looks ahead for its closer, so a line of
 * thousands of unclosed marks ("*a *a *a …", "[a [a …") would take quadratic time, hours for one
 * long line of an import. Past a budget linear in the line's length it is read as plain text.
 */
let budget = 0;
class OverBudget extends Error {}
function step(): void {
  if (--budget < 0) throw new OverBudget();
}

const isSpace = (ch: string | undefined): boolean => ch === undefined || /\s/.test(ch);
const isWordChar = (ch: string | undefined): boolean => ch !== undefined && /[\p{L}\p{N}]/u.test(ch);

/** The length of the run of `ch` starting at `at`. */
function runLength(text: string, at: number, ch: string): number {
  let end = at;
  while (text[end] === ch) end++;
  return end - at;
}

/** Where a code span opened at `at` by `length` backticks ends (the index after it), or -1. */
function codeEnd(text: string, at: number, length: number): number {
  for (let i = at + length; i < text.length; ) {
    step();
    if (text[i] !== '`') {
      i++;
      continue;
    }
    const run = runLength(text, i, '`');
    if (run === length) return i + run;
    i += run;
  }
  return -1;
}

/**
 * The index of the run of exactly `length` × `ch` that closes emphasis opened at `from`: not
 * escaped, not in a code span, after a non-space (and for `_`, not inside a word).
 */
function closer(text: string, from: number, ch: string, length: number): number {
  for (let i = from; i < text.length; ) {
    step();
    const c = text[i]!;
    if (c === '\\') {
      i += 2;
      continue;
    }
    if (c === '`') {
      const run = runLength(text, i, '`');
      const end = codeEnd(text, i, run);
      i = end === -1 ? i + run : end;
      continue;
    }
    if (c !== ch) {
      i++;
      continue;
    }
    const run = runLength(text, i, ch);
    if (run === length && !isSpace(text[i - 1]) && !(ch === '_' && isWordChar(text[i + run]))) return i;
    i += run;
  }
  return -1;
}

/** `[label](destination)` at `at`: the label, the address and the index after it; null if none. */
function linkAt(text: string, at: number): { label: string; href: string; end: number } | null {
  let depth = 0;
  let i = at;
  for (; i < text.length; i++) {
    step();
    if (text[i] === '\\') i++;
    else if (text[i] === '[') depth++;
    else if (text[i] === ']' && --depth === 0) break;
  }
  if (i >= text.length || text[i + 1] !== '(') return null;
  const destination = /^\(\s*(?:<([^<>\n]*)>|([^\s()<>]+))\s*(?:"[^"]*"\s*)?\)/.exec(text.slice(i + 1));
  if (!destination) return null;
  const href = destination[1] ?? destination[2]!;
  return { label: text.slice(at + 1, i), href: safeDecode(href), end: i + 1 + destination[0].length };
}

function safeDecode(href: string): string {
  try {
    return /%3[CcEe]|%20/.test(href) ? decodeURI(href).replace(/%3C/gi, '<').replace(/%3E/gi, '>') : href;
  } catch {
    return href;
  }
}

const EMPHASIS: Record<number, Format> = { 1: { italic: true }, 2: { bold: true }, 3: { bold: true, italic: true } };

function parse(text: string, format: Format, out: NoteInline[]): void {
  let plain = '';
  const flush = (): void => {
    if (plain !== '') out.push({ text: plain, ...format });
    plain = '';
  };
  for (let i = 0; i < text.length; ) {
    const ch = text[i]!;
    if (ch === '\\' && ESCAPABLE.test(text[i + 1] ?? '')) {
      plain += text[i + 1];
      i += 2;
      continue;
    }
    if (ch === '`') {
      const run = runLength(text, i, '`');
      const end = codeEnd(text, i, run);
      if (end === -1) {
        plain += text.slice(i, i + run);
        i += run;
        continue;
      }
      flush();
      let code = text.slice(i + run, end - run).replace(/\n/g, ' ');
      if (code.length > 1 && code.startsWith(' ') && code.endsWith(' ') && code.trim() !== '') code = code.slice(1, -1);
      out.push({ text: code, ...format, code: true });
      i = end;
      continue;
    }
    const autolink = ch === '<' ? autolinkAt(text, i) : null;
    if (autolink) {
      flush();
      out.push({ text: autolink.text, ...format, href: autolink.href });
      i = autolink.end;
      continue;
    }
    if (ch === '!' && text[i + 1] === '[') {
      // An image: its description is what the minutes say.
      const image = linkAt(text, i + 1);
      if (image) {
        plain += image.label;
        i = image.end;
        continue;
      }
    }
    if (ch === '[') {
      const link = linkAt(text, i);
      if (link) {
        flush();
        parse(link.label, { ...format, href: link.href }, out);
        i = link.end;
        continue;
      }
    }
    if (ch === '~' && text[i + 1] === '~' && !isSpace(text[i + 2])) {
      const end = closer(text, i + 2, '~', 2);
      if (end !== -1) {
        flush();
        parse(text.slice(i + 2, end), { ...format, strikethrough: true }, out);
        i = end + 2;
        continue;
      }
    }
    if (ch === '*' || ch === '_') {
      const run = runLength(text, i, ch);
      const opens = run <= 3 && !isSpace(text[i + run]) && !(ch === '_' && isWordChar(text[i - 1]));
      const end = opens ? closer(text, i + run, ch, run) : -1;
      if (end !== -1) {
        flush();
        parse(text.slice(i + run, end), { ...format, ...EMPHASIS[run] }, out);
        i = end + run;
        continue;
      }
      plain += text.slice(i, i + run);
      i += run;
      continue;
    }
    plain += ch;
    i++;
  }
  flush();
}

/** A line of inline Markdown as runs of text, neighbours of the same format joined. */
export function markdownInlines(text: string): NoteInline[] {
  let runs: NoteInline[] = [];
  budget = 20 * text.length + 10_000;
  try {
    parse(text, {}, runs);
  } catch (error) {
    if (!(error instanceof OverBudget)) throw error;
    // Its escapes still read as the characters they escape.
    runs = [{ text: text.replace(ESCAPED, '$1') }];
  }
  const joined: NoteInline[] = [];
  for (const run of runs) {
    const last = joined[joined.length - 1];
    if (last && sameFormat(last, run)) last.text += run.text;
    else joined.push({ ...run });
  }
  return joined;
}

const sameFormat = (a: NoteInline, b: NoteInline): boolean =>
  a.href === b.href && !!a.bold === !!b.bold && !!a.italic === !!b.italic && !!a.code === !!b.code && !!a.strikethrough === !!b.strikethrough;

/** The runs' text as the notes show it (a link by its label). */
export const inlinesText = (runs: readonly NoteInline[]): string => runs.map((run) => run.text).join('');

/**
 * The runs as plain text for reading the page: a link's address kept after its label (the slides'
 * address is part of what the minutes say).
 */
export const plainText = (runs: readonly NoteInline[]): string =>
  runs.map((run, i) => (run.href && !showsItsAddress(run) && !run.text.includes(run.href) && runs[i + 1]?.href !== run.href ? `${run.text} ${run.href}` : run.text)).join('');

/** A link whose text is its address (`https://…`, or the e-mail address of a `mailto:`). */
const showsItsAddress = (run: NoteInline): boolean => run.href === run.text || run.href === `mailto:${run.text}`;

/** Whether the runs say more than their text does (formatting, a link's label). */
const isFormatted = (runs: readonly NoteInline[]): boolean => runs.some((run) => run.bold || run.italic || run.code || run.strikethrough || (run.href && !showsItsAddress(run)));

/** Runs as a line of the page: the text to read it by, and the runs when they say more. */
export const readRuns = (runs: NoteInline[]): { text: string; inlines?: NoteInline[] } => (isFormatted(runs) ? { text: plainText(runs), inlines: runs } : { text: plainText(runs) });
