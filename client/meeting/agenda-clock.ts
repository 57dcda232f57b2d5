// Which agenda item the meeting's clock says is on now, for the moderator keeping time: the item
// whose slot holds the present moment in the meeting's own time zone (a 09:00 item is at 09:00
// where the meeting is held, wherever the reader sits), and how long its slot has left.
//
// An item's slot runs from its time for its minutes; without minutes, until the next timed item
// of the day. An item with neither has no known end, so it is never "now": a marker that stayed
// on the day's last item all evening would be wrong more often than right.
//
// A reader elsewhere (the meeting in Tucson, a notetaker in Paris) also sees each item's time as
// their own clock will read it.
import type { AgendaDay } from '../../shared/api/index';
import { wallClock, type WallClock } from '../dates';

export interface Slot {
  itemId: string;
  /** Minutes after midnight. */
  start: number;
  end: number;
}

/** A session's day of the agenda, as its clock reads it. */
export interface DaySchedule {
  date: string;
  timeZone: string | null;
  slots: Slot[];
  /** Each timed item's start, in minutes after the day's midnight where the meeting is held. */
  starts: Map<string, number>;
}

export interface NowOn {
  itemId: string;
  /** Whole minutes left in the slot, rounded up (a slot with 20 s left has 1). */
  minutesLeft: number;
}

function clockMinutes(time: string | null): number | null {
  const match = time ? /^(\d{1,2}):(\d{2})$/.exec(time.trim()) : null;
  return match ? Number(match[1]) * 60 + Number(match[2]) : null;
}

/** The day's timed items' starts, by item id. */
export function dayStarts(day: AgendaDay): Map<string, number> {
  const starts = new Map<string, number>();
  for (const item of day.blocks.flatMap((block) => block.items)) {
    const start = clockMinutes(item.time);
    if (start !== null) starts.set(item.id, start);
  }
  return starts;
}

/** The moment a clock in `timeZone` reads `minutes` after midnight of `date`. */
export function instantOf(date: string, minutes: number, timeZone: string): Date {
  const wanted = Date.parse(`${date}T00:00:00Z`) + minutes * 60_000;
  let guess = wanted;
  // The zone's offset at the guess, corrected once more for a guess across a change of offset.
  for (let i = 0; i < 2; i++) {
    const clock = wallClock(new Date(guess), timeZone);
    guess += wanted - (Date.parse(`${clock.date}T00:00:00Z`) + Math.round(clock.minutes * 60) * 1000);
  }
  return new Date(guess);
}

/**
 * When a reader in `readerZone` (their own when null) lives an item's start: null where their
 * clock reads what the agenda says, else the moment and whether it is another day there.
 */
export function readerStart(date: string, minutes: number, timeZone: string, readerZone: string | null = null): { at: Date; otherDay: boolean } | null {
  const at = instantOf(date, minutes, timeZone);
  const reader = wallClock(at, readerZone);
  if (reader.date === date && Math.round(reader.minutes) === minutes) return null;
  return { at, otherDay: reader.date !== date };
}

/** Each timed item's start as the reader's clock will read it ("6:00 PM", "Wed 1:00 AM"), where it differs. */
export function readerStarts(schedule: DaySchedule, readerZone: string | null = null): Map<string, string> {
  const labels = new Map<string, string>();
  if (!schedule.timeZone) return labels;
  const time = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit', ...(readerZone ? { timeZone: readerZone } : {}) });
  const weekday = new Intl.DateTimeFormat(undefined, { weekday: 'short', ...(readerZone ? { timeZone: readerZone } : {}) });
  for (const [itemId, minutes] of schedule.starts) {
    const start = readerStart(schedule.date, minutes, schedule.timeZone, readerZone);
    if (start) labels.set(itemId, `${start.otherDay ? `${weekday.format(start.at)} ` : ''}${time.format(start.at)}`);
  }
  return labels;
}

/** The day's timed items as slots, in the agenda's order. */
export function daySlots(day: AgendaDay): Slot[] {
  const timed = day.blocks
    .flatMap((block) => block.items)
    .map((item) => ({ item, start: clockMinutes(item.time) }))
    .filter((entry): entry is { item: (typeof entry)['item']; start: number } => entry.start !== null);
  const slots: Slot[] = [];
  timed.forEach(({ item, start }, i) => {
    const nextStart = timed.slice(i + 1).find((later) => later.start > start)?.start;
    const end = item.minutes ? start + item.minutes : nextStart;
    if (end !== undefined && end > start) slots.push({ itemId: item.id, start, end });
  });
  return slots;
}

/**
 * The item on now, if the clock reads the session's day and a slot holds it. Where slots overlap
 * (parallel sessions, a slot overrunning the next item's time), the one started last is on.
 */
export function nowOn(slots: readonly Slot[], sessionDate: string, clock: WallClock): NowOn | null {
  if (clock.date !== sessionDate) return null;
  const on = slots.filter((slot) => slot.start <= clock.minutes && clock.minutes < slot.end).sort((a, b) => b.start - a.start)[0];
  return on ? { itemId: on.itemId, minutesLeft: Math.ceil(on.end - clock.minutes) } : null;
}

/** The item on now in a day's schedule, read from the clock at `now`. */
export function nowOnDay(schedule: DaySchedule, now: Date): NowOn | null {
  return schedule.slots.length === 0 ? null : nowOn(schedule.slots, schedule.date, wallClock(now, schedule.timeZone));
}
