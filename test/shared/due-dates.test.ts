// The due-date reading skips chrono on lines that cannot hold a due date (no anchor word, and no
// month's name or separated digits beside a digit). That check must never change an answer: here every line the fixtures hold, typed one
// character at a time as people type it, and a few thousand lines made of date-ish words, are read
// with the check and without it, and must come out the same.

import { describe, expect, it } from 'vitest';
import { actionLines, importSample } from '../fixtures/index.js';
import { findDueDate, mayHoldDueDate, parseIsoDate, readDueDate } from '../../shared/actions/dates';

/** Deterministic: the same lines in every run (mulberry32). */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SESSIONS = ['2017-03-06', '2020-11-20', '2024-02-29'];

/** Pieces of lines: anchors (also inside words, in other cases), dates of every kind chrono reads, and plain words. */
const PIECES = [
  'due', 'DUE', 'Due:', 'due date', 'due by', 'due on', 'by', 'BY', 'By the', 'deadline', 'Deadline:', 'within', 'WITHIN', 'éwithin', 'withiné',
  'maybe', 'nearby', 'standby', 'overdue', 'residue', 'by-law', 'bypass',
  'Friday', 'fri', 'Mon.', 'tuesday', 'next week', 'next Tuesday', 'this Friday', 'tomorrow', 'today', 'tonight', 'yesterday', 'now', 'noon', 'midnight',
  'end of the week', 'end of month', 'end of the year', 'EOD', 'EOW', 'eom', 'EOY', 'the end of next week',
  'in 2 weeks', 'in a month', 'two weeks', 'a couple of days', 'a few days', 'a week', 'from now', 'ago', 'later',
  '2017-03-07', '2020-12-07', '07 Dec 2020', 'Dec 7', '7 December', 'March 15', '15 Mar 2017', '3/7', '3/7/2017', '12.03.2017', '5pm', '10:30', '9am', 'Q3', '2021',
  'March', 'may', 'May', 'June', 'sept', 'the', 'on', 'at', 'of', 'for', 'and', 'in', 'send', 'the report', 'review', 'RHL', '@ktl', 'DM-7310', '—', ',', ':', '(', ')',
  '１２月', '３', 'ｂｙ', 'Ｄｕｅ',
  // Numbers and separators on their own, which join into numeric dates ("2020 12 07", "3 / 7")
  // or stay numbers ("fix 3 failing tests", "line 12"), ordinals, and month names inside words.
  '3', '7', '12', '07', '31', '2017', '2020', '1st', '5th', 'first', 'twenty-first', '-', '/', '.', 'line 12', 'v2.1', '50%',
  'decide', 'market', 'octopus', 'junction', 'remayne', 'augment', 'novel', 'sepia', 'janitor', 'febrile', 'aprons', 'julep',
  // Times and durations in chrono's short forms, which join a day word or stand alone.
  '+2d', '2d', '-1w', '3h', '1y', '9h30', '15:00', "3 o'clock", '3rd', 'the 3rd', 'tmrw', 'tmr', 'this morning', 'last night', 'the day after', 'Q4', 'xmas', 'asap',
];

function generatedLines(count: number): string[] {
  const next = random(14);
  const lines: string[] = [];
  for (let n = 0; n < count; n++) {
    const words: string[] = [];
    const length = 1 + Math.floor(next() * 7);
    for (let i = 0; i < length; i++) words.push(PIECES[Math.floor(next() * PIECES.length)]!);
    lines.push(words.join(next() < 0.2 ? '' : ' '));
  }
  return lines;
}

/** Every line of the fixtures: the worked action lines, the ordinary ones, and the old meeting pages. */
function fixtureLines(): string[] {
  const fixtures = actionLines<{ actions: Array<{ line: string }>; ordinary: string[] }>();
  const pages = ['dm-f2f-wiki.txt', 'gen3-hedgedoc.md', 'alerts-confluence.html', 'ops-etherpad.html', 'sqre-storage.xml'];
  return [
    ...fixtures.actions.map((a) => a.line),
    ...fixtures.ordinary,
    ...pages.flatMap((page) => importSample(page).split(/\n|<br\s*\/?>/)).filter((line) => line.trim() !== ''),
  ];
}

/** Each line as it stands after every keystroke that typed it. */
function typed(lines: readonly string[]): string[] {
  return lines.flatMap((line) => Array.from({ length: line.length }, (_, i) => line.slice(0, i + 1)));
}

function readBoth(text: string, from: number, session: string): { checked: unknown; parsed: unknown; skipped: boolean } {
  return { checked: findDueDate(text, from, session), parsed: readDueDate(text, from, parseIsoDate(session)), skipped: !mayHoldDueDate(text, from) };
}

describe('the due-date reading skips chrono only where no due date can be', () => {
  it('reads every fixture line, as it is typed, the same with and without the check', () => {
    let skipped = 0;
    let total = 0;
    for (const text of typed(fixtureLines())) {
      for (const from of [0, Math.floor(text.length / 3)]) {
        const both = readBoth(text, from, SESSIONS[total % SESSIONS.length]!);
        expect(both.checked, `${JSON.stringify(text)} from ${from}`).toEqual(both.parsed);
        total++;
        if (both.skipped) skipped++;
      }
    }
    // Most of what is typed holds no anchor word and no date in digits: the check must spare chrono there.
    expect(skipped).toBeGreaterThan(total / 4);
  });

  it('reads lines made of anchors, dates and words the same with and without the check', () => {
    let dated = 0;
    for (const [n, text] of generatedLines(6000).entries()) {
      const from = n % 3 === 0 ? 0 : Math.floor(text.length / 4);
      const both = readBoth(text, from, SESSIONS[n % SESSIONS.length]!);
      expect(both.checked, `${JSON.stringify(text)} from ${from}`).toEqual(both.parsed);
      if (both.parsed !== null) dated++;
    }
    // The lines do hold due dates of every kind, or the comparison would prove nothing.
    expect(dated).toBeGreaterThan(800);
  });

  it('reads a date in digits alone, whatever separates its parts, and skips numbers that are not dates', () => {
    // Lines with a digit and no word of dates: chrono reads these only as numeric dates.
    for (const text of ['ship it 2020 12 07', 'ship it 2020-12-07', 'ship it 2020/12/07', 'ship it 2020.12.07', 'ship it 12/07/2020', 'ship it 07.12.2020']) {
      const both = readBoth(text, 0, '2020-11-20');
      expect(both.parsed, text).not.toBeNull();
      expect(both.checked, text).toEqual(both.parsed);
    }
    for (const text of ['fix 3 failing tests', 'follow up on line 12', 'bump to v2', 'cut 50% of the 20 jobs']) {
      expect(readBoth(text, 0, '2020-11-20'), text).toEqual({ checked: null, parsed: null, skipped: true });
    }
  });

  it('still refuses an invalid session date on a line without a date', () => {
    expect(() => findDueDate('send the report', 0, '2017-02-30')).toThrow(RangeError);
  });
});
