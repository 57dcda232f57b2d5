// Character-level helpers. Everything works on offsets into the original text, so spans stay
// valid for highlighting: we fold characters one at a time instead of normalising whole strings
// (normalisation can change a string's length).

const LETTER_OR_DIGIT = /[\p{L}\p{N}_]/u;
const COMBINING_MARK = /\p{M}/u;
const WHITESPACE = /\s/u;

// Typographic variants that autocorrect substitutes in names: O’Mullane, Wood‐Vasey.
const APOSTROPHES = new Set(['\u2018', '\u2019', '\u02BC', '\u2032', '`', '\u00B4']);
const HYPHENS = new Set(['\u2010', '\u2011', '\u2012', '\u2013', '\u2212']);

export function isWordChar(ch: string | undefined): boolean {
  return ch !== undefined && LETTER_OR_DIGIT.test(ch);
}

export function isSpace(ch: string | undefined): boolean {
  return ch !== undefined && WHITESPACE.test(ch);
}

/** Folds typographic apostrophes and hyphens, and optionally case and diacritics. */
export function foldChar(ch: string, ignoreCase: boolean): string {
  if (APOSTROPHES.has(ch)) return "'";
  if (HYPHENS.has(ch)) return '-';
  if (!ignoreCase) return ch;
  // Names are matched a character at a time at every keystroke: ASCII (no marks to strip, one
  // case mapping) is most of what is typed, and normalising it would only allocate.
  if (ch.length === 1 && ch.charCodeAt(0) < 0x80) return ch.toLowerCase();
  return ch.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

const ASCII = /^\p{ASCII}*$/u;

/** Case- and diacritic-insensitive folding of a whole string (for lookups, never for offsets). */
export function foldString(s: string): string {
  // The same as folding each character (the only ASCII character folded otherwise is '`').
  if (ASCII.test(s)) return s.replaceAll('`', "'").toLowerCase();
  return Array.from(s.normalize('NFC'), (ch) => foldChar(ch, true)).join('');
}

/** Letters and digits only, folded: "Kian-Tat Lim" and "@kiantat.lim" both compare as "kiantatlim". */
export function compact(s: string): string {
  // In ASCII the letters and digits are [a-z0-9] once folded.
  if (ASCII.test(s)) return s.toLowerCase().replace(/[^a-z0-9]/g, '');
  return foldString(s).replace(/[^\p{L}\p{N}]/gu, '');
}

/**
 * Whether the word that ends before `i` continues at `i`. An apostrophe, hyphen or dot
 * continues a word only when a letter or digit follows it ("KTL's", "KTL-led", "k.lim"),
 * so "KTL:" and "KTL." at the end of a sentence still end the word.
 */
export function continuesWord(text: string, i: number): boolean {
  const ch = text[i];
  if (ch === undefined) return false;
  if (isWordChar(ch) || COMBINING_MARK.test(ch)) return true;
  if (ch === "'" || ch === '-' || ch === '.' || APOSTROPHES.has(ch) || HYPHENS.has(ch)) {
    return isWordChar(text[i + 1]);
  }
  return false;
}

/**
 * Matches the phrase `p` (in NFC, trimmed: it is tried at every keystroke, so it comes prepared)
 * at `pos` in `text` and returns the end offset, or null. Any run of whitespace in the phrase matches
 * any run of whitespace in the text; combining marks in decomposed text are skipped when ignoring
 * case (and diacritics). The match must end at a word boundary.
 */
export function matchPhraseAt(text: string, pos: number, p: string, ignoreCase: boolean): number | null {
  if (p === '') return null;
  let i = pos;
  let j = 0;
  while (j < p.length) {
    const pc = p[j] as string;
    if (isSpace(pc)) {
      while (j < p.length && isSpace(p[j])) j++;
      if (!isSpace(text[i])) return null;
      while (isSpace(text[i])) i++;
      continue;
    }
    const tc = text[i];
    if (tc === undefined || foldChar(tc, ignoreCase) !== foldChar(pc, ignoreCase)) return null;
    i++;
    j++;
    if (ignoreCase) {
      while (i < text.length && COMBINING_MARK.test(text[i] as string)) i++;
    }
  }
  return continuesWord(text, i) ? null : i;
}

export function skipSpaces(text: string, pos: number): number {
  let i = pos;
  while (isSpace(text[i])) i++;
  return i;
}

/** A half-open range [start, end) of the text. */
export interface Range {
  start: number;
  end: number;
}

export function overlaps(a: Range, b: Range): boolean {
  return a.start < b.end && b.start < a.end;
}

/** The placeholder of masked text (see maskRanges). */
const MASK = '\uE000';

/**
 * Replaces the given ranges by a private-use character, keeping every offset. The date parser
 * then cannot read a name ("May Smith"), a handle or a ticket key as a date, and the placeholder
 * is neither whitespace nor a word character, so it cannot join the words on either side.
 */
export function maskRanges(text: string, ranges: readonly Range[]): string {
  // Clamped and in order, so that the text between them is copied in slices.
  const spans = ranges
    .map((r) => ({ start: Math.max(0, r.start), end: Math.min(text.length, r.end) }))
    .filter((r) => r.start < r.end)
    .sort((a, b) => a.start - b.start);
  let out = '';
  let at = 0;
  for (const { start, end } of spans) {
    if (end <= at) continue;
    const from = Math.max(start, at);
    out += text.slice(at, from) + MASK.repeat(end - from);
    at = end;
  }
  return out + text.slice(at);
}
