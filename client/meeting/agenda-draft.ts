// The meeting form's working copy: what the organiser types (strings, as inputs hold them), with
// the ids of the blocks and items that already exist so that saving keeps them (notes hang under
// agenda item ids). Pure functions: the form renders a draft and replaces it on every change.
import type { AgendaDayInput, CreateMeetingBody, Meeting } from '../../shared/api/index';
import { parseAttendeeLines } from './attendee-lines';

export interface ItemDraft {
  /** React's key; stable while the item moves around. */
  key: string;
  id?: string;
  time: string;
  minutes: string;
  topic: string;
  coordinators: string;
  preNotes: string;
}

export interface BlockDraft {
  key: string;
  id?: string;
  title: string;
  moderator: string;
  notetaker: string;
  items: ItemDraft[];
}

export interface MeetingDraft {
  title: string;
  series: string;
  startDate: string;
  endDate: string;
  timezone: string;
  location: string;
  joinUrl: string;
  joinText: string;
  /** One attendee a line: `Robert Lupton (RHL) <rhl@example.org>`. */
  attendeesText: string;
  /** Blocks per day (YYYY-MM-DD); days outside the dates are kept but not sent. */
  agenda: Record<string, BlockDraft[]>;
}

let counter = 0;
const newKey = (): string => `k${++counter}`;

export const emptyItem = (): ItemDraft => ({ key: newKey(), time: '', minutes: '', topic: '', coordinators: '', preNotes: '' });
export const emptyBlock = (): BlockDraft => ({ key: newKey(), title: '', moderator: '', notetaker: '', items: [emptyItem()] });

export function emptyDraft(timezone: string): MeetingDraft {
  return { title: '', series: '', startDate: '', endDate: '', timezone, location: '', joinUrl: '', joinText: '', attendeesText: '', agenda: {} };
}

/** The days from `start` to `end` (at most 31, as the server allows). */
export function daysBetween(start: string, end: string): string[] {
  if (!start) return [];
  const out: string[] = [];
  const last = end && end >= start ? end : start;
  for (let d = new Date(`${start}T00:00:00Z`); out.length < 31; d.setUTCDate(d.getUTCDate() + 1)) {
    const iso = d.toISOString().slice(0, 10);
    if (iso > last) break;
    out.push(iso);
  }
  return out;
}

export function attendeeLine(a: { name: string; handle: string | null; email: string | null }): string {
  return [a.name, a.handle ? `(${a.handle})` : null, a.email ? `<${a.email}>` : null].filter(Boolean).join(' ');
}

/** A draft of an existing meeting, every block and item carrying its id. */
export function draftOf(meeting: Meeting): MeetingDraft {
  const agenda: Record<string, BlockDraft[]> = {};
  for (const day of meeting.agenda) {
    agenda[day.date] = day.blocks.map((block) => ({
      key: newKey(),
      id: block.id,
      title: block.title ?? '',
      moderator: block.moderator ?? '',
      notetaker: block.notetaker ?? '',
      items: block.items.map((item) => ({
        key: newKey(),
        id: item.id,
        time: item.time ?? '',
        minutes: item.minutes === null ? '' : String(item.minutes),
        topic: item.topic,
        coordinators: item.coordinators.join(', '),
        preNotes: item.preNotes ?? '',
      })),
    }));
  }
  return {
    title: meeting.title,
    series: meeting.series ?? '',
    startDate: meeting.startDate,
    endDate: meeting.endDate ?? '',
    timezone: meeting.timezone ?? '',
    location: meeting.location ?? '',
    joinUrl: meeting.joinUrl ?? '',
    joinText: meeting.joinText ?? '',
    attendeesText: meeting.attendees.map(attendeeLine).join('\n'),
    agenda,
  };
}

const DAY_MS = 86_400_000;
const dayNumber = (iso: string): number => Date.parse(`${iso}T00:00:00Z`) / DAY_MS;
const plusDays = (iso: string, days: number): string => new Date((dayNumber(iso) + days) * DAY_MS).toISOString().slice(0, 10);

/**
 * How many days after a meeting the next of its series falls: as long as it came after the one
 * before it (weekly, fortnightly, monthly, quarterly), or a week when it is the first.
 */
export function seriesCadence(meeting: { id: string; startDate: string }, series: readonly { id: string; startDate: string }[]): number {
  const before = series
    .filter((other) => other.id !== meeting.id && other.startDate < meeting.startDate)
    .map((other) => other.startDate)
    .sort();
  const last = before[before.length - 1];
  const gap = last ? dayNumber(meeting.startDate) - dayNumber(last) : 7;
  return gap >= 1 && gap <= 366 ? gap : 7;
}

/**
 * A new meeting after this one: its details, attendees and agenda (pre-meeting notes too, for
 * the organiser to keep or change), every date `gap` days on, and again until it is no earlier
 * than `today`. Nothing keeps an id: the blocks and items are the new meeting's own. A title that
 * names the meeting's date names the new one's. The items in `leaveOut` stay behind: topics that
 * were scheduled from proposals, one-offs rather than the series' standing items.
 */
export function nextDraft(meeting: Meeting, gap: number, today: string, leaveOut: ReadonlySet<string> = new Set()): MeetingDraft {
  const draft = draftOf(meeting);
  let shift = gap;
  while (plusDays(meeting.startDate, shift) < today) shift += gap;
  const agenda: Record<string, BlockDraft[]> = {};
  for (const [date, blocks] of Object.entries(draft.agenda)) {
    agenda[plusDays(date, shift)] = blocks.map(({ id: _block, ...block }) => ({
      ...block,
      items: block.items.filter((item) => item.id === undefined || !leaveOut.has(item.id)).map(({ id: _item, ...item }) => item),
    }));
  }
  const startDate = plusDays(meeting.startDate, shift);
  return {
    ...draft,
    title: draft.title.split(meeting.startDate).join(startDate),
    startDate,
    endDate: draft.endDate === '' ? '' : plusDays(draft.endDate, shift),
    agenda,
  };
}

const orNull = (text: string): string | null => (text.trim() === '' ? null : text.trim());

/** What the server takes (POST /api/meetings, PUT /api/meetings/:id). Rows without a topic are left out. */
export function bodyOf(draft: MeetingDraft): CreateMeetingBody {
  const agenda: AgendaDayInput[] = daysBetween(draft.startDate, draft.endDate).flatMap((date) => {
    const blocks = (draft.agenda[date] ?? [])
      .map((block) => ({
        ...(block.id ? { id: block.id } : {}),
        title: orNull(block.title),
        moderator: orNull(block.moderator),
        notetaker: orNull(block.notetaker),
        items: block.items
          .filter((item) => item.topic.trim() !== '')
          .map((item) => ({
            ...(item.id ? { id: item.id } : {}),
            time: item.time || null,
            minutes: item.minutes.trim() === '' ? null : Number(item.minutes),
            topic: item.topic.trim(),
            coordinators: item.coordinators
              .split(/[,;]/)
              .map((c) => c.trim())
              .filter(Boolean),
            preNotes: orNull(item.preNotes),
          })),
      }))
      .filter((block) => block.items.length > 0 || block.title !== null || block.id !== undefined);
    return blocks.length > 0 ? [{ date, blocks }] : [];
  });
  return {
    title: draft.title.trim(),
    series: orNull(draft.series),
    startDate: draft.startDate,
    endDate: draft.endDate || null,
    timezone: orNull(draft.timezone),
    location: orNull(draft.location),
    joinUrl: orNull(draft.joinUrl),
    joinText: orNull(draft.joinText),
    attendees: parseAttendeeLines(draft.attendeesText),
    agenda,
  };
}

export interface Place {
  block: number;
  item: number;
}

/** Moves an item to another place of the same day (`to` as the blocks stand before the move). */
export function moveItemTo(blocks: readonly BlockDraft[], from: Place, to: Place): BlockDraft[] {
  const next = blocks.map((b) => ({ ...b, items: [...b.items] }));
  const [item] = next[from.block]!.items.splice(from.item, 1);
  if (!item) return [...blocks];
  // Removing it shifted the items after it in its own block.
  const index = to.block === from.block && to.item > from.item ? to.item - 1 : to.item;
  next[to.block]!.items.splice(Math.min(index, next[to.block]!.items.length), 0, item);
  return next;
}

/** A row nobody has typed into (the form keeps one open at the end of each block). */
export function isBlankItem(item: ItemDraft): boolean {
  return item.id === undefined && [item.topic, item.time, item.minutes, item.coordinators, item.preNotes].every((field) => field.trim() === '');
}

/** Where the typed rows of a block end: blank rows after them are not places to move past. */
function typedEnd(block: BlockDraft): number {
  let end = block.items.length;
  while (end > 0 && isBlankItem(block.items[end - 1]!)) end--;
  return end;
}

/**
 * One step up (-1) or down (+1): within its block, or across into the neighbouring block (to its
 * end going up, its start going down). Unchanged at the first or last place of the day.
 */
export function moveItemBy(blocks: readonly BlockDraft[], at: Place, delta: -1 | 1): BlockDraft[] {
  const block = blocks[at.block]!;
  const target = at.item + delta;
  if (target >= 0 && target < typedEnd(block)) return moveItemTo(blocks, at, { block: at.block, item: delta > 0 ? target + 1 : target });
  const neighbour = at.block + delta;
  if (neighbour < 0 || neighbour >= blocks.length) return [...blocks];
  return moveItemTo(blocks, at, { block: neighbour, item: delta < 0 ? typedEnd(blocks[neighbour]!) : 0 });
}

export function moveBlockBy(blocks: readonly BlockDraft[], index: number, delta: -1 | 1): BlockDraft[] {
  const target = index + delta;
  if (target < 0 || target >= blocks.length) return [...blocks];
  const next = [...blocks];
  [next[index], next[target]] = [next[target]!, next[index]!];
  return next;
}
