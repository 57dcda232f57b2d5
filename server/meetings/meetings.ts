/**
 * Meetings with their attendees, agenda and note-taking sessions. Every write runs in one
 * transaction (the caller's, when it passes one), so a meeting is never seen half-made.
 */
import { atomically, type Queries } from '../db/sql/index.js';
import type {
  AgendaBlock,
  AgendaDay,
  AgendaDayInput,
  AgendaItem,
  Attendee,
  AttendeeInput,
  MeetingSummary,
  PatchMeetingBody,
  Session,
} from '../../shared/api/index.js';
import { badRequest, notFound } from '../http-errors.js';
import { now, randomId } from '../ids.js';
import { resolveSeries } from './series.js';

/** A meeting spans at most this many days; each day gets a note-taking session. */
export const MAX_MEETING_DAYS = 31;

export const SESSION_DOC_PREFIX = 'session-';

export interface MeetingRecord extends MeetingSummary {
  joinUrl: string | null;
  joinText: string | null;
  closedAt: string | null;
  ownerId: string;
}

export interface MeetingDetails extends MeetingRecord {
  attendees: Attendee[];
  agenda: AgendaDay[];
  sessions: Session[];
}

interface MeetingRow {
  id: string;
  title: string;
  series: string | null;
  start_date: string;
  end_date: string;
  timezone: string | null;
  location: string | null;
  join_url: string | null;
  join_text: string | null;
  owner_id: string;
  owner_name: string;
  closed_at: string | null;
  created_at: string;
  updated_at: string;
}

const selectMeetings = (q: Queries) =>
  q.selectFrom('meetings as m').innerJoin('users as u', 'u.id', 'm.owner_id').selectAll('m').select('u.name as owner_name');

const toRecord = (row: MeetingRow): MeetingRecord => ({
  id: row.id,
  title: row.title,
  series: row.series,
  startDate: row.start_date,
  endDate: row.end_date,
  timezone: row.timezone,
  location: row.location,
  joinUrl: row.join_url,
  joinText: row.join_text,
  closed: row.closed_at !== null,
  closedAt: row.closed_at,
  owner: { id: row.owner_id, name: row.owner_name },
  ownerId: row.owner_id,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

export interface MeetingFields {
  title: string;
  series?: string | null;
  startDate: string;
  endDate?: string | null;
  timezone?: string | null;
  location?: string | null;
  joinUrl?: string | null;
  joinText?: string | null;
  attendees: AttendeeInput[];
  agenda?: AgendaDayInput[];
}

/** A real calendar date (the schema checked only the shape). */
function parseDate(value: string, field: string): number {
  const time = Date.parse(`${value}T00:00:00Z`);
  if (Number.isNaN(time) || new Date(time).toISOString().slice(0, 10) !== value) throw badRequest(`${field} is not a real date: ${value}`);
  return time;
}

/** Every date from start to end inclusive, checked: end not before start, at most MAX_MEETING_DAYS. */
export function meetingDays(startDate: string, endDate: string | null | undefined): string[] {
  const start = parseDate(startDate, 'startDate');
  const end = endDate ? parseDate(endDate, 'endDate') : start;
  if (end < start) throw badRequest('endDate is before startDate');
  const count = Math.round((end - start) / 86_400_000) + 1;
  if (count > MAX_MEETING_DAYS) throw badRequest(`a meeting spans at most ${MAX_MEETING_DAYS} days`);
  return Array.from({ length: count }, (_, i) => new Date(start + i * 86_400_000).toISOString().slice(0, 10));
}

function checkTimezone(timezone: string | null | undefined): void {
  if (!timezone) return;
  try {
    new Intl.DateTimeFormat('en', { timeZone: timezone });
  } catch {
    throw badRequest(`unknown time zone: ${timezone}`);
  }
}

const blank = (value: string | null | undefined): string | null => {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
};

export async function createMeeting(q: Queries, ownerId: string, fields: MeetingFields): Promise<MeetingDetails> {
  const days = meetingDays(fields.startDate, fields.endDate);
  checkTimezone(fields.timezone);
  const id = randomId();
  const stamp = now();
  return atomically(q, async (trx) => {
    await trx
      .insertInto('meetings')
      .values({
        id,
        title: fields.title.trim(),
        series: await resolveSeries(trx, fields.series),
        start_date: days[0]!,
        end_date: days[days.length - 1]!,
        timezone: blank(fields.timezone),
        location: blank(fields.location),
        join_url: blank(fields.joinUrl),
        join_text: blank(fields.joinText),
        owner_id: ownerId,
        closed_at: null,
        created_at: stamp,
        updated_at: stamp,
      })
      .execute();
    await replaceAttendees(trx, id, fields.attendees);
    await replaceAgenda(trx, id, fields.agenda ?? [], days);
    await ensureSessions(trx, id, days);
    return (await getMeeting(trx, id))!;
  });
}

export async function getMeetingRecord(q: Queries, id: string): Promise<MeetingRecord | null> {
  const row = await selectMeetings(q).where('m.id', '=', id).executeTakeFirst();
  return row ? toRecord(row) : null;
}

export async function getMeeting(q: Queries, id: string): Promise<MeetingDetails | null> {
  const record = await getMeetingRecord(q, id);
  if (!record) return null;
  return { ...record, attendees: await listAttendees(q, id), agenda: await getAgenda(q, id), sessions: await listSessions(q, id) };
}

export async function requireMeeting(q: Queries, id: string): Promise<MeetingDetails> {
  const meeting = await getMeeting(q, id);
  if (!meeting) throw notFound('no meeting with this id');
  return meeting;
}

export interface ListFilter {
  when?: 'upcoming' | 'past' | 'all';
  series?: string;
  limit?: number;
  offset?: number;
  /** Today's date (YYYY-MM-DD) that separates upcoming from past; defaults to UTC today. */
  today?: string;
}

/** Upcoming meetings (not yet ended) soonest first; past and all, most recent first. */
export async function listMeetings(q: Queries, filter: ListFilter = {}): Promise<MeetingSummary[]> {
  const today = filter.today ?? new Date().toISOString().slice(0, 10);
  let query = selectMeetings(q);
  if (filter.when === 'upcoming') query = query.where('m.end_date', '>=', today);
  else if (filter.when === 'past') query = query.where('m.end_date', '<', today);
  if (filter.series) query = query.where('m.series', '=', filter.series);
  const direction = filter.when === 'upcoming' ? 'asc' : 'desc';
  const rows = await query
    .orderBy('m.start_date', direction)
    .orderBy('m.created_at', direction)
    .limit(filter.limit ?? 100)
    .offset(filter.offset ?? 0)
    .execute();
  return rows.map((row) => {
    const { joinUrl: _j, joinText: _t, closedAt: _c, ownerId: _o, ...summary } = toRecord(row);
    return summary;
  });
}

/**
 * Changes the fields given. New days get sessions; sessions of days no longer in range are kept,
 * because they may hold notes (they still show, after the meeting's days).
 */
export async function updateMeeting(q: Queries, id: string, patch: PatchMeetingBody): Promise<MeetingDetails> {
  return atomically(q, async (trx) => {
    const current = await getMeetingRecord(trx, id);
    if (!current) throw notFound('no meeting with this id');
    const startDate = patch.startDate ?? current.startDate;
    // Moving the start past the old end without naming an end makes a one-day meeting.
    const endDate = patch.endDate !== undefined ? patch.endDate : current.endDate < startDate ? startDate : current.endDate;
    const days = meetingDays(startDate, endDate);
    if (patch.timezone !== undefined) checkTimezone(patch.timezone);
    if (patch.title !== undefined && patch.title.trim() === '') throw badRequest('title must not be blank');
    // Only the fields the patch names are written: a patch racing another (another process's,
    // say) does not put back what the other changed.
    await trx
      .updateTable('meetings')
      .set({
        ...(patch.title !== undefined ? { title: patch.title.trim() } : {}),
        ...(patch.series !== undefined ? { series: await resolveSeries(trx, patch.series, id) } : {}),
        ...(patch.timezone !== undefined ? { timezone: blank(patch.timezone) } : {}),
        ...(patch.location !== undefined ? { location: blank(patch.location) } : {}),
        ...(patch.joinUrl !== undefined ? { join_url: blank(patch.joinUrl) } : {}),
        ...(patch.joinText !== undefined ? { join_text: blank(patch.joinText) } : {}),
        start_date: days[0]!,
        end_date: days[days.length - 1]!,
        updated_at: now(),
      })
      .where('id', '=', id)
      .execute();
    if (patch.attendees) await replaceAttendees(trx, id, patch.attendees);
    if (patch.agenda) await replaceAgenda(trx, id, patch.agenda, days);
    await ensureSessions(trx, id, days);
    return (await getMeeting(trx, id))!;
  });
}

export async function deleteMeeting(q: Queries, id: string): Promise<{ docs: string[] }> {
  return atomically(q, async (trx) => {
    const docs = (await listSessions(trx, id)).map((session) => session.doc);
    const result = await trx.deleteFrom('meetings').where('id', '=', id).executeTakeFirst();
    if (Number(result.numDeletedRows) === 0) throw notFound('no meeting with this id');
    return { docs };
  });
}

export async function setClosed(q: Queries, id: string, closed: boolean): Promise<MeetingRecord> {
  const stamp = now();
  const result = await q
    .updateTable('meetings')
    .set({ closed_at: closed ? stamp : null, updated_at: stamp })
    .where('id', '=', id)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) throw notFound('no meeting with this id');
  return (await getMeetingRecord(q, id))!;
}

export async function touchMeeting(q: Queries, id: string): Promise<void> {
  await q.updateTable('meetings').set({ updated_at: now() }).where('id', '=', id).execute();
}

async function replaceAttendees(q: Queries, meetingId: string, attendees: AttendeeInput[]): Promise<void> {
  attendees.forEach((attendee, position) => {
    if (attendee.name.trim() === '') throw badRequest(`attendees/${position}/name must not be blank`);
  });
  await q.deleteFrom('attendees').where('meeting_id', '=', meetingId).execute();
  if (attendees.length === 0) return;
  await q
    .insertInto('attendees')
    .values(attendees.map((attendee, position) => ({ meeting_id: meetingId, position, name: attendee.name.trim(), handle: blank(attendee.handle), email: blank(attendee.email) })))
    .execute();
}

export async function listAttendees(q: Queries, meetingId: string): Promise<Attendee[]> {
  return q.selectFrom('attendees').select(['name', 'handle', 'email']).where('meeting_id', '=', meetingId).orderBy('position').execute();
}

/** A meeting's whole agenda: enough for a week-long workshop, small enough to render and seed. */
export const MAX_AGENDA_ITEMS = 1000;

/**
 * Replaces the agenda, keeping the ids of blocks and items the caller sent back (ids of another
 * meeting are not honoured: they get new ones). Items no longer present are deleted.
 */
async function replaceAgenda(q: Queries, meetingId: string, agenda: AgendaDayInput[], days: string[]): Promise<void> {
  const items = agenda.reduce((sum, day) => sum + day.blocks.reduce((n, block) => n + block.items.length, 0), 0);
  if (items > MAX_AGENDA_ITEMS) throw badRequest(`an agenda holds at most ${MAX_AGENDA_ITEMS} items (this one has ${items})`);
  const dates = new Set<string>();
  for (const day of agenda) {
    if (!days.includes(day.date)) throw badRequest(`agenda day ${day.date} is not a day of the meeting (${days[0]} to ${days[days.length - 1]})`);
    if (dates.has(day.date)) throw badRequest(`agenda day ${day.date} appears twice`);
    dates.add(day.date);
    for (const block of day.blocks) {
      if (block.items.some((item) => item.topic.trim() === '')) throw badRequest(`agenda item topic must not be blank (${day.date})`);
    }
  }
  const ownBlocks = new Set((await q.selectFrom('agenda_blocks').select('id').where('meeting_id', '=', meetingId).execute()).map((r) => r.id));
  const ownItems = new Set((await q.selectFrom('agenda_items').select('id').where('meeting_id', '=', meetingId).execute()).map((r) => r.id));
  const seen = new Set<string>();
  const keep = (id: string | undefined, own: Set<string>): string => {
    const chosen = id && own.has(id) && !seen.has(id) ? id : randomId();
    seen.add(chosen);
    return chosen;
  };
  const blockRows: Array<{ id: string; meeting_id: string; date: string; position: number; title: string | null; moderator: string | null; notetaker: string | null }> = [];
  const itemRows: Array<{
    id: string;
    meeting_id: string;
    block_id: string;
    position: number;
    time: string | null;
    minutes: number | null;
    topic: string;
    coordinators: string;
    pre_notes: string | null;
  }> = [];
  for (const day of agenda) {
    day.blocks.forEach((block, blockPosition) => {
      const blockId = keep(block.id, ownBlocks);
      blockRows.push({ id: blockId, meeting_id: meetingId, date: day.date, position: blockPosition, title: blank(block.title), moderator: blank(block.moderator), notetaker: blank(block.notetaker) });
      block.items.forEach((item, itemPosition) => {
        itemRows.push({
          id: keep(item.id, ownItems),
          meeting_id: meetingId,
          block_id: blockId,
          position: itemPosition,
          time: item.time ?? null,
          minutes: item.minutes ?? null,
          topic: item.topic.trim(),
          coordinators: JSON.stringify((item.coordinators ?? []).map((c) => c.trim()).filter(Boolean)),
          pre_notes: blank(item.preNotes),
        });
      });
    });
  }
  // Items move between blocks by id, so every block exists before the items are upserted.
  // One row per statement: a meeting's agenda is small, and a multi-row upsert would pass the
  // dialects' parameter limits on the largest.
  for (const row of blockRows) {
    await q
      .insertInto('agenda_blocks')
      .values(row)
      .onConflict((oc) =>
        oc.column('id').doUpdateSet((eb) => ({
          date: eb.ref('excluded.date'),
          position: eb.ref('excluded.position'),
          title: eb.ref('excluded.title'),
          moderator: eb.ref('excluded.moderator'),
          notetaker: eb.ref('excluded.notetaker'),
        })),
      )
      .execute();
  }
  for (const row of itemRows) {
    await q
      .insertInto('agenda_items')
      .values(row)
      .onConflict((oc) =>
        oc.column('id').doUpdateSet((eb) => ({
          block_id: eb.ref('excluded.block_id'),
          position: eb.ref('excluded.position'),
          time: eb.ref('excluded.time'),
          minutes: eb.ref('excluded.minutes'),
          topic: eb.ref('excluded.topic'),
          coordinators: eb.ref('excluded.coordinators'),
          pre_notes: eb.ref('excluded.pre_notes'),
        })),
      )
      .execute();
  }
  const keptItems = new Set(itemRows.map((row) => row.id));
  const keptBlocks = new Set(blockRows.map((row) => row.id));
  const dropItems = [...ownItems].filter((id) => !keptItems.has(id));
  const dropBlocks = [...ownBlocks].filter((id) => !keptBlocks.has(id));
  if (dropItems.length > 0) await q.deleteFrom('agenda_items').where('id', 'in', dropItems).execute();
  if (dropBlocks.length > 0) await q.deleteFrom('agenda_blocks').where('id', 'in', dropBlocks).execute();
}

export interface ItemRow {
  id: string;
  block_id: string;
  time: string | null;
  minutes: number | null;
  topic: string;
  coordinators: string;
  pre_notes: string | null;
}

export const toAgendaItem = (row: ItemRow): AgendaItem => ({
  id: row.id,
  time: row.time,
  minutes: row.minutes,
  topic: row.topic,
  coordinators: JSON.parse(row.coordinators) as string[],
  preNotes: row.pre_notes,
});

export async function getAgenda(q: Queries, meetingId: string): Promise<AgendaDay[]> {
  const blocks = await q.selectFrom('agenda_blocks').selectAll().where('meeting_id', '=', meetingId).orderBy('date').orderBy('position').execute();
  const items = await q.selectFrom('agenda_items').selectAll().where('meeting_id', '=', meetingId).orderBy('position').execute();
  return agendaDays(blocks, items);
}

export interface BlockRow {
  id: string;
  date: string;
  title: string | null;
  moderator: string | null;
  notetaker: string | null;
}

/** A meeting's agenda from its block rows (by date, then position) and item rows (by position). */
export function agendaDays(blocks: BlockRow[], items: ItemRow[]): AgendaDay[] {
  const byBlock = new Map<string, AgendaItem[]>();
  for (const item of items) {
    const list = byBlock.get(item.block_id) ?? [];
    list.push(toAgendaItem(item));
    byBlock.set(item.block_id, list);
  }
  const days: AgendaDay[] = [];
  for (const block of blocks) {
    let day = days[days.length - 1];
    if (!day || day.date !== block.date) {
      day = { date: block.date, blocks: [] };
      days.push(day);
    }
    const entry: AgendaBlock = {
      id: block.id,
      title: block.title,
      moderator: block.moderator,
      notetaker: block.notetaker,
      items: byBlock.get(block.id) ?? [],
    };
    day.blocks.push(entry);
  }
  return days;
}

export async function getAgendaItem(q: Queries, meetingId: string, itemId: string): Promise<AgendaItem | null> {
  const row = await q.selectFrom('agenda_items').selectAll().where('id', '=', itemId).where('meeting_id', '=', meetingId).executeTakeFirst();
  return row ? toAgendaItem(row) : null;
}

/**
 * Adds an item to a day's agenda: into `blockId` when given, else the block whose times surround
 * `time`, else the day's last block (a new block when the day has none). Items stay in time order.
 */
export async function insertAgendaItem(
  q: Queries,
  meetingId: string,
  placement: { date: string; blockId?: string; time?: string | null },
  item: { topic: string; minutes: number | null; coordinators: string[]; preNotes: string | null },
): Promise<AgendaItem> {
  return atomically(q, async (trx) => {
    const meeting = await getMeetingRecord(trx, meetingId);
    if (!meeting) throw notFound('no meeting with this id');
    if (!meetingDays(meeting.startDate, meeting.endDate).includes(placement.date)) {
      throw badRequest(`${placement.date} is not a day of the meeting (${meeting.startDate} to ${meeting.endDate})`);
    }
    const blocks = await trx
      .selectFrom('agenda_blocks')
      .select('id')
      .where('meeting_id', '=', meetingId)
      .where('date', '=', placement.date)
      .orderBy('position')
      .execute();
    let blockId: string;
    if (placement.blockId) {
      if (!blocks.some((b) => b.id === placement.blockId)) throw badRequest('blockId is not a block of that day');
      blockId = placement.blockId;
    } else if (blocks.length === 0) {
      blockId = randomId();
      await trx.insertInto('agenda_blocks').values({ id: blockId, meeting_id: meetingId, date: placement.date, position: 0, title: null, moderator: null, notetaker: null }).execute();
    } else {
      blockId = blocks[blocks.length - 1]!.id;
      if (placement.time) {
        // The last block whose first timed item starts at or before the requested time.
        for (const block of blocks) {
          const first = await trx
            .selectFrom('agenda_items')
            .select((eb) => eb.fn.min('time').as('t'))
            .where('block_id', '=', block.id)
            .where('time', 'is not', null)
            .executeTakeFirst();
          if (first?.t && first.t <= placement.time) blockId = block.id;
        }
      }
    }
    const existing = await trx.selectFrom('agenda_items').select(['id', 'time']).where('block_id', '=', blockId).orderBy('position').execute();
    let at = existing.length;
    if (placement.time) {
      const index = existing.findIndex((row) => row.time !== null && row.time > placement.time!);
      if (index >= 0) at = index;
    }
    const id = randomId();
    await trx
      .updateTable('agenda_items')
      .set((eb) => ({ position: eb('position', '+', 1) }))
      .where('block_id', '=', blockId)
      .where('position', '>=', at)
      .execute();
    await trx
      .insertInto('agenda_items')
      .values({
        id,
        meeting_id: meetingId,
        block_id: blockId,
        position: at,
        time: placement.time ?? null,
        minutes: item.minutes,
        topic: item.topic,
        coordinators: JSON.stringify(item.coordinators),
        pre_notes: item.preNotes,
      })
      .execute();
    await touchMeeting(trx, meetingId);
    return (await getAgendaItem(trx, meetingId, id))!;
  });
}

export async function appendToItemNotes(q: Queries, meetingId: string, itemId: string, text: string): Promise<void> {
  const item = await getAgendaItem(q, meetingId, itemId);
  if (!item) throw notFound('no agenda item with this id in this meeting');
  const notes = item.preNotes ? `${item.preNotes}\n${text}` : text;
  await q.updateTable('agenda_items').set({ pre_notes: notes }).where('id', '=', itemId).execute();
}

export async function deleteAgendaItem(q: Queries, itemId: string): Promise<void> {
  await q.deleteFrom('agenda_items').where('id', '=', itemId).execute();
}

/** Gives every day of the meeting a session; an existing session for a day is kept. */
async function ensureSessions(q: Queries, meetingId: string, days: string[]): Promise<void> {
  const existing = new Set((await q.selectFrom('note_sessions').select('date').where('meeting_id', '=', meetingId).execute()).map((r) => r.date));
  const missing = days.filter((date) => !existing.has(date));
  if (missing.length === 0) return;
  await q
    .insertInto('note_sessions')
    .values(
      missing.map((date) => {
        const id = randomId();
        return { id, meeting_id: meetingId, date, doc: `${SESSION_DOC_PREFIX}${id}`, created_at: now() };
      }),
    )
    .execute();
}

export async function listSessions(q: Queries, meetingId: string): Promise<Session[]> {
  return q.selectFrom('note_sessions').select(['id', 'date', 'doc']).where('meeting_id', '=', meetingId).orderBy('date').orderBy('created_at').execute();
}

export interface SessionRef {
  meetingId: string;
  sessionId: string;
  date: string;
}

/** Maps a collaboration document name to its meeting and session; null for any other document. */
export async function findSessionByDoc(q: Queries, docName: string): Promise<SessionRef | null> {
  if (!docName.startsWith(SESSION_DOC_PREFIX)) return null;
  const row = await q.selectFrom('note_sessions').select(['id', 'meeting_id', 'date']).where('doc', '=', docName).executeTakeFirst();
  return row ? { meetingId: row.meeting_id, sessionId: row.id, date: row.date } : null;
}
