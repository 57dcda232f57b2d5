// Dates as a clock somewhere reads them. `new Date().toISOString()` is the date in UTC, which is
// already tomorrow on an American afternoon: an action due today showed as overdue there, and a
// meeting on its last day as past.

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
