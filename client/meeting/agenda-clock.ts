// Which agenda item the meeting's clock says is on now, for the moderator keeping time: the item
// whose slot holds the present moment in the meeting's own time zone (a 09:00 item is at 09:00
// where the meeting is held, wherever the reader sits), and how long its slot has left.
//
// An item's slot runs from its time for its minutes; without minutes, until the next timed item
// of the day. An item with neither has no known end, so it is never "now": a marker that stayed
// on the day's last item all evening would be wrong more often than right.
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
