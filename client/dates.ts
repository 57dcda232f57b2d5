// Dates on the pages: as a clock somewhere reads them, and calendar dates as the reader's
// language writes them. `new Date().toISOString()` is the date in UTC, which is already tomorrow
// on an American afternoon: an action due today showed as overdue there, and a meeting on its last
// day as past.

/** A wall clock: a calendar day and the minutes after its midnight (fractions included). */
export interface WallClock {
  date: string;
  minutes: number;
}

/** What a clock reads at `now` in `timeZone` (the reader's own zone when null). */
export function wallClock(now: Date, timeZone: string | null): WallClock {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      ...(timeZone ? { timeZone } : {}),
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(now)
      .map((part) => [part.type, part.value]),
  );
  return { date: `${parts.year}-${parts.month}-${parts.day}`, minutes: Number(parts.hour) * 60 + Number(parts.minute) + Number(parts.second) / 60 };
}

/** Today (YYYY-MM-DD) where the reader is: what overdue, upcoming and past count from. */
export function localToday(): string {
  return wallClock(new Date(), null).date;
}

/**
 * A calendar date (YYYY-MM-DD) in the reader's language, with the parts `options` ask for. Read
 * at midnight UTC and written in UTC, so it is the same day wherever the reader is.
 */
export function formatDate(iso: string, options: Omit<Intl.DateTimeFormatOptions, 'timeZone'>): string {
  return new Date(`${iso}T00:00:00Z`).toLocaleDateString(undefined, { ...options, timeZone: 'UTC' });
}

/** A session's day, as its tab shows it: "Tue, Nov 17". */
export function formatDay(iso: string): string {
  return formatDate(iso, { weekday: 'short', day: 'numeric', month: 'short' });
}

/** A due date, "Dec 7", with the year only when it is not the reference date's (the session's). */
export function formatDue(iso: string, referenceIso?: string): string {
  const sameYear = referenceIso !== undefined && referenceIso.slice(0, 4) === iso.slice(0, 4);
  return formatDate(iso, { day: 'numeric', month: 'short', ...(sameYear ? {} : { year: 'numeric' }) });
}

/** A meeting's days: "Tue, Nov 17 – Thu, Nov 19, 2020", or the one day with its year. */
export function formatDateRange(start: string, end: string | null): string {
  const day = (iso: string, withYear: boolean) => formatDate(iso, { weekday: 'short', day: 'numeric', month: 'short', ...(withYear ? { year: 'numeric' } : {}) });
  return end && end !== start ? `${day(start, start.slice(0, 4) !== end.slice(0, 4))} – ${day(end, true)}` : day(start, true);
}
