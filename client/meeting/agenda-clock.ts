// Which agenda item the meeting's clock says is on now, for the moderator keeping time: the item
// whose slot holds the present moment in the meeting's own time zone (a 09:00 item is at 09:00
// where the meeting is held, wherever the reader sits), and how long its slot has left.
//
// An item's slot runs from its time for its minutes; without minutes, until the next timed item
// of the day. An item with neither has no known end, so it is never "now": a marker that stayed
// on the day's last item all evening would be wrong more often than right.
import type { AgendaDay } from '../../shared/api/index';

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
}

/** A wall clock: a calendar day and the minutes after its midnight (fractions included). */
export interface WallClock {
  date: string;
  minutes: number;
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

/** What a clock reads at `now` in `timeZone` (the reader's own zone when the meeting has none). */
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
