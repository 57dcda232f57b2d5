// Due dates. chrono-node finds the date phrases; this module decides which of them is the due
// date (README.md here: a date after "due"/"by" wins, otherwise the first absolute date; relative
// words count only after "due"/"by") and resolves them against the session's date.

// The English locale only: the package root would pull every locale into the browser bundle.
import { casual, type ParsedResult, type Parser } from 'chrono-node/en';
import type { ParsingContext } from 'chrono-node';
import { continuesWord, type Range } from './text';

export interface CalendarDate {
  year: number;
  month: number; // 1-12
  day: number;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Parses a YYYY-MM-DD session date; throws on anything else, which is a caller's bug. */
export function parseIsoDate(iso: string): CalendarDate {
  const m = ISO_DATE.exec(iso);
  const date = m ? { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) } : null;
  if (!date || formatIsoDate(addDays(date, 0)) !== iso) throw new RangeError(`not a YYYY-MM-DD date: ${iso}`);
  return date;
}

export function formatIsoDate(d: CalendarDate): string {
  const pad = (n: number, w: number): string => String(n).padStart(w, '0');
  return `${pad(d.year, 4)}-${pad(d.month, 2)}-${pad(d.day, 2)}`;
}

// Calendar arithmetic in UTC, where no day is 23 or 25 hours long.
export function addDays(d: CalendarDate, days: number): CalendarDate {
  const t = new Date(Date.UTC(d.year, d.month - 1, d.day + days));
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() };
}

function weekday(d: CalendarDate): number {
  return new Date(Date.UTC(d.year, d.month - 1, d.day)).getUTCDay();
}

/**
 * chrono reads the reference instant in the process's local time zone. Local noon of the session
 * day is that day in every zone (no zone shifts noon across midnight, DST moves an hour or two),
 * and results are read from chrono's calendar components, never from a Date, so the server's
 * and the browser's time zones cannot shift the answer.
 */
function referenceInstant(d: CalendarDate): Date {
  return new Date(d.year, d.month - 1, d.day, 12, 0, 0, 0);
}

function referenceDay(context: ParsingContext): CalendarDate {
  const r = context.refDate;
  return { year: r.getFullYear(), month: r.getMonth() + 1, day: r.getDate() };
}

const FRIDAY = 5;
const END_OF_TAG = 'quorum/endOfPeriod';

// chrono 2.10 has "end of (the) month" but reads "end of the week" as "the week" (a week from the
// reference) and "end of the year" as a year from it, and knows no EOD/EOW/EOY. The end of a week
// is its Friday, the working week's last day.
const END_OF_PERIOD = /(^|[^\p{L}\p{N}_])(end\s+of\s+(?:(the|this|next)\s+)?(day|week|year)|eo([dwmy]))(?![\p{L}\p{N}_])/iu;

const endOfPeriodParser: Parser = {
  pattern: () => END_OF_PERIOD,
  extract(context, match) {
    const lead = match[1] ?? '';
    const phrase = match[2] ?? '';
    const which = (match[3] ?? '').toLowerCase();
    const unit = (match[4] ?? match[5] ?? '').toLowerCase().slice(0, 1);
    const ref = referenceDay(context);
    let target: CalendarDate;
    if (unit === 'd') {
      if (which === 'next') return null;
      target = ref;
    } else if (unit === 'w') {
      target = addDays(ref, (FRIDAY - weekday(ref) + 7) % 7 + (which === 'next' ? 7 : 0));
    } else if (unit === 'm') {
      target = addDays({ year: ref.year, month: ref.month + 1, day: 1 }, -1);
    } else {
      if (which === 'next') return null;
      target = { year: ref.year, month: 12, day: 31 };
    }
    const components = context.createParsingComponents(target);
    components.addTag(END_OF_TAG);
    return context.createParsingResult((match.index ?? 0) + lead.length, phrase, components);
  },
};

const parser = casual.clone();
// First, so that where chrono's own parsers read the same words, ours is kept.
parser.parsers.unshift(endOfPeriodParser);

// A due phrase's anchor, right before the date: "by", "due", "due:", "due on", "due by",
// "due date", "deadline", optionally followed by "the" ("by the end of the month").
const ANCHOR = /(?<![\p{L}\p{N}_])(?:due(?:\s+date)?(?:\s*:)?(?:\s+(?:on|by|before))?|by|deadline(?:\s*:)?)\s*(?:the\s+)?$/iu;
/** Where the due/by words right before `index` start, or null. */
function anchorBefore(text: string, from: number, index: number): number | null {
  const m = ANCHOR.exec(text.slice(from, index));
  return m ? from + m.index : null;
}

// "within 2 weeks" is a deadline by itself; chrono includes the word in its match.
const SELF_ANCHORED = /^within\b/i;

function tagsOf(r: ParsedResult): string[] {
  return [...r.tags()];
}

function isRelative(r: ParsedResult): boolean {
  const tags = tagsOf(r);
  return (
    tags.some((t) => t === 'result/relativeDate' || t.startsWith('casualReference') || t.includes('EndOf') || t === END_OF_TAG) ||
    (r.start.isCertain('weekday') && !r.start.isCertain('day'))
  );
}

// A duration alone: "reduce latency by 2 seconds", "slip by 2 weeks" are amounts, not deadlines
// ("in 2 weeks", "2 weeks from now", "next week" are dates).
const BARE_DURATION = /^(?:\d+(?:\.\d+)?|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|(?:a\s+)?few|several|(?:a\s+)?couple(?:\s+of)?)\s+[a-z]+$/i;

/** Precise to a day: not a bare time ("by 5pm"), a bare month ("by March") or a duration. */
function isDayPrecise(r: ParsedResult): boolean {
  const s = r.start;
  if (tagsOf(r).includes('result/relativeDate') && BARE_DURATION.test(r.text.trim())) return false;
  if (s.isCertain('day') || s.isCertain('weekday')) return true;
  // "in a month" is relative and day-precise though chrono calls its day uncertain.
  return tagsOf(r).includes('result/relativeDate') && (s.isCertain('month') || s.isCertain('year'));
}

/**
 * Absolute: a day and month written out, with digits ("2020-12-07", "07 Dec 2020", "Dec 7",
 * "7 December"). Numeric dates like "3/7" need a year outside a due phrase, so "3/7 of the
 * budget" stays a fraction.
 */
function isAbsolute(r: ParsedResult): boolean {
  const s = r.start;
  if (!s.isCertain('day') || !s.isCertain('month') || isRelative(r) || !/\d/.test(r.text)) return false;
  return !tagsOf(r).includes('parser/SlashDateFormatParser') || s.isCertain('year');
}

export interface DueDate {
  /** YYYY-MM-DD */
  date: string;
  /** The due phrase, for highlighting: "by 2017-03-07", "due in 2 weeks", "15 Mar 2017". */
  phrase: Range;
  /** Whether "due"/"by" introduced it (then it always leaves the description). */
  anchored: boolean;
}

const MAX_DATE_SCAN = 4000;

const BARE_WEEKDAY = /^(?:on\s+)?(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)[a-z]*\.?$/i;

function resolve(r: ParsedResult, session: CalendarDate): string {
  const s = r.start;
  let d: CalendarDate = { year: s.get('year') ?? session.year, month: s.get('month') ?? session.month, day: s.get('day') ?? session.day };
  // "by Monday" said on a Monday means next Monday: nobody sets a deadline of the same day by
  // naming its weekday. chrono's forward dates keep the same day.
  if (BARE_WEEKDAY.test(r.text.trim()) && formatIsoDate(d) === formatIsoDate(session)) d = addDays(d, 7);
  return formatIsoDate(d);
}

/** Every word that can anchor a date (ANCHOR and SELF_ANCHORED), anywhere, even inside a word. */
const ANCHOR_WORDS = /due|by|deadline|within/iu;
/**
 * Words from which chrono reads a day and a month that a digit can join (a time, "9am tomorrow";
 * a count, "2 weeks"), even inside a word: the shortest piece of each of its month and weekday
 * names, casual days and times of day, and units of a duration ("mo" for mon, month, morning and
 * overmorrow, "day" for today, yesterday and midday, "night" for tonight and midnight, "noon" for
 * afternoon; the one-letter units, "2d", make only relative dates, which need an anchor).
 */
const DAY_WORDS = /jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|tue|wed|thu|fri|sat|sun|mo|day|now|tom|tmr|night|noon|evening|sec|min|hr|hour|week|qtr|quarter|yr|year/iu;
/**
 * Where it reads one in digits alone: two digits with one separator between them, as in its
 * numeric patterns (2017-03-07, 3/7, 07.03, and "2017 03 07": whitespace separates a year's parts too).
 */
const NUMERIC_DATE = /\d[-./\s]\d/u;

/**
 * Whether `text` can hold a due date from `from` on: a date counts only after an anchor word
 * (due, by, deadline, or "within …"), or unanchored when its day and month are certain and it
 * has digits (isAbsolute), which chrono reads only beside words of dates and times or from digits
 * separated as in a numeric date. Most action lines have none of these (one with a number in it,
 * "fix 3 failing tests", has no date either), and they are parsed again at every keystroke (the
 * editor's highlighting, the server's extraction): chrono's forty patterns cost more than the
 * rest of the grammar together.
 */
export function mayHoldDueDate(text: string, from: number): boolean {
  const scan = text.slice(from, MAX_DATE_SCAN);
  return ANCHOR_WORDS.test(scan) || (/\d/.test(scan) && (DAY_WORDS.test(scan) || NUMERIC_DATE.test(scan)));
}

/**
 * Finds the due date in `text` (already masked: marker, names and tickets replaced), looking only
 * at offsets from `from`. A date after due/by wins; otherwise the first absolute date.
 */
export function findDueDate(text: string, from: number, sessionDate: string): DueDate | null {
  const session = sessionDayOf(sessionDate);
  return mayHoldDueDate(text, from) ? readDueDate(text, from, session) : null;
}

/**
 * The session date of the last line read, parsed: every line of a meeting is read against the
 * same date, and checking it cost a twentieth of reading an action line. Frozen: shared by every
 * reading.
 */
let lastSession: { iso: string; day: Readonly<CalendarDate> } | null = null;
function sessionDayOf(iso: string): CalendarDate {
  if (lastSession?.iso !== iso) lastSession = { iso, day: Object.freeze(parseIsoDate(iso)) };
  return lastSession.day;
}

/** `findDueDate` without the check that a date can be there: chrono reads the text. */
export function readDueDate(text: string, from: number, session: CalendarDate): DueDate | null {
  // Dates without a year, and weekdays, resolve forward from the session date. The server parses
  // on every edit: a pasted wall of text is read for dates only as far as an action line goes.
  const results = parser
    .parse(text.slice(0, MAX_DATE_SCAN), referenceInstant(session), { forwardDate: true })
    .filter((r) => r.index >= from && !continuesWord(text, r.index + r.text.length));
  let firstAbsolute: DueDate | null = null;
  for (const r of results) {
    const end = r.index + r.text.length;
    // chrono takes "on" into "on 07 Dec 2017"; the date itself starts after it.
    const dateStart = r.index + (/^on\s+/i.exec(r.text)?.[0].length ?? 0);
    const anchorStart = SELF_ANCHORED.test(r.text) ? r.index : anchorBefore(text, from, r.index);
    if (anchorStart !== null) {
      // chrono misreads "the week"/"the year" (from "end of the week") as a week/year from now.
      if (!isDayPrecise(r) || (isRelative(r) && /^the\s/i.test(r.text))) continue;
      return { date: resolve(r, session), phrase: { start: anchorStart, end }, anchored: true };
    }
    if (!firstAbsolute && isAbsolute(r)) {
      firstAbsolute = { date: resolve(r, session), phrase: { start: dateStart, end }, anchored: false };
    }
  }
  return firstAbsolute;
}
