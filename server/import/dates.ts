// Dates and times as old minutes write them: 2017-03-06, 17 Nov 2020, Nov 17, 2020, ranges
// ("17 Nov 2020 - 19 Nov 2020", "2017-03-06 to 2017-03-08", "17-19 Nov 2020"), and agenda times
// ("09:00", "9:30 am", "09:00-09:45").

const MONTHS: Record<string, number> = {
  jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12,
};
const WEEKDAY = '(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?\\.?';
const MONTH = '(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\\.?';

export interface FoundDate {
  iso: string;
  index: number;
  length: number;
}

function iso(year: number, month: number, day: number): string | null {
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return date.toISOString().slice(0, 10);
}

const monthOf = (name: string): number => MONTHS[name.toLowerCase().slice(0, 3)]!;

const PATTERNS: Array<[RegExp, (m: RegExpExecArray) => string | null]> = [
  [/\b(\d{4})-(\d{2})-(\d{2})\b/g, (m) => iso(Number(m[1]), Number(m[2]), Number(m[3]))],
  [new RegExp(`\\b(\\d{1,2})(?:st|nd|rd|th)?\\s+${MONTH},?\\s+(\\d{4})\\b`, 'gi'), (m) => iso(Number(m[3]), monthOf(m[2]!), Number(m[1]))],
  [new RegExp(`\\b${MONTH}\\s+(\\d{1,2})(?:st|nd|rd|th)?,?\\s+(\\d{4})\\b`, 'gi'), (m) => iso(Number(m[3]), monthOf(m[1]!), Number(m[2]))],
];

/** Every full date (with a year) in the text, in order. */
export function findDates(text: string): FoundDate[] {
  const found: FoundDate[] = [];
  for (const [pattern, read] of PATTERNS) {
    pattern.lastIndex = 0;
    for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
      const date = read(m);
      if (date && !found.some((f) => m!.index < f.index + f.length && f.index < m!.index + m![0].length)) found.push({ iso: date, index: m.index, length: m[0].length });
    }
  }
  return found.sort((a, b) => a.index - b.index);
}

/** A range of days: two dates joined by a dash or "to", or "17-19 Nov 2020" / "Nov 17-19, 2020". */
export function findDateRange(text: string): { start: string; end: string } | null {
  const shortDay = new RegExp(`\\b(\\d{1,2})\\s*[-–—]\\s*(\\d{1,2})\\s+${MONTH},?\\s+(\\d{4})\\b`, 'i').exec(text);
  if (shortDay) {
    const start = iso(Number(shortDay[4]), monthOf(shortDay[3]!), Number(shortDay[1]));
    const end = iso(Number(shortDay[4]), monthOf(shortDay[3]!), Number(shortDay[2]));
    if (start && end && start <= end) return { start, end };
  }
  const shortMonth = new RegExp(`\\b${MONTH}\\s+(\\d{1,2})\\s*[-–—]\\s*(\\d{1,2}),?\\s+(\\d{4})\\b`, 'i').exec(text);
  if (shortMonth) {
    const start = iso(Number(shortMonth[4]), monthOf(shortMonth[1]!), Number(shortMonth[2]));
    const end = iso(Number(shortMonth[4]), monthOf(shortMonth[1]!), Number(shortMonth[3]));
    if (start && end && start <= end) return { start, end };
  }
  const dates = findDates(text);
  for (let i = 0; i + 1 < dates.length; i++) {
    const between = text.slice(dates[i]!.index + dates[i]!.length, dates[i + 1]!.index);
    // "Tuesday 17 November 2020 – Thursday 19 November 2020": the second day may be named too.
    if (new RegExp(`^\\s*(-|–|—|to|through|until|till)\\s*(${WEEKDAY},?\\s*)?$`, 'i').test(between) && dates[i]!.iso <= dates[i + 1]!.iso) return { start: dates[i]!.iso, end: dates[i + 1]!.iso };
  }
  return null;
}

/** Every day from start to end, inclusive. */
export function dayList(start: string, end: string): string[] {
  const days: string[] = [];
  for (let t = Date.parse(`${start}T00:00:00Z`); t <= Date.parse(`${end}T00:00:00Z`) && days.length < 400; t += 86_400_000) days.push(new Date(t).toISOString().slice(0, 10));
  return days;
}

/**
 * An agenda row's time ("09:00", "9:30 am", "9.30", "09:00-09:45", "09:00 (30 min)"): HH:MM and
 * the minutes of a range or of a stated length.
 */
export function parseTime(text: string): { time: string; minutes: number | null } | null {
  const m = /\b(\d{1,2})[:.h](\d{2})\s*(am|pm|a\.m\.|p\.m\.)?(?:\s*(?:-|–|—|to)\s*(\d{1,2})[:.h](\d{2})\s*(am|pm|a\.m\.|p\.m\.)?|\s*\((\d{1,4})\s*min(?:utes?|s)?\.?\))?/i.exec(text);
  if (!m) return null;
  const clock = (h: string, min: string, meridiem: string | undefined): number | null => {
    let hours = Number(h);
    const minutes = Number(min);
    if (meridiem) {
      const pm = meridiem.toLowerCase().startsWith('p');
      if (hours === 12) hours = pm ? 12 : 0;
      else if (pm) hours += 12;
    }
    return hours < 24 && minutes < 60 ? hours * 60 + minutes : null;
  };
  const start = clock(m[1]!, m[2]!, m[3] ?? m[6]);
  if (start === null) return null;
  const end = m[4] ? clock(m[4], m[5]!, m[6]) : null;
  const time = `${String(Math.floor(start / 60)).padStart(2, '0')}:${String(start % 60).padStart(2, '0')}`;
  const stated = m[7] ? Number(m[7]) : null;
  return { time, minutes: end !== null && end > start ? end - start : stated !== null && stated > 0 && stated <= 24 * 60 ? stated : null };
}
