/**
 * Meetings with their attendees, agenda and note-taking sessions. Every write runs in one SQLite
 * transaction, so a meeting is never seen half-made.
 */
import type { Db } from '../db/database.js';
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

const MEETING_SELECT = `SELECT m.*, u.name AS owner_name FROM meetings m JOIN users u ON u.id = m.owner_id`;

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

export function createMeeting(db: Db, ownerId: string, fields: MeetingFields): MeetingDetails {
  const days = meetingDays(fields.startDate, fields.endDate);
  checkTimezone(fields.timezone);
  const id = randomId();
  const stamp = now();
  db.transaction(() => {
    db.prepare(
      `INSERT INTO meetings (id, title, series, start_date, end_date, timezone, location, join_url, join_text, owner_id, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      id,
      fields.title.trim(),
      blank(fields.series),
      days[0],
      days[days.length - 1],
      blank(fields.timezone),
      blank(fields.location),
      blank(fields.joinUrl),
      blank(fields.joinText),
      ownerId,
      stamp,
      stamp,
    );
    replaceAttendees(db, id, fields.attendees);
    replaceAgenda(db, id, fields.agenda ?? [], days);
    ensureSessions(db, id, days);
  })();
  return getMeeting(db, id)!;
}

export function getMeetingRecord(db: Db, id: string): MeetingRecord | null {
  const row = db.prepare(`${MEETING_SELECT} WHERE m.id = ?`).get(id) as MeetingRow | undefined;
  return row ? toRecord(row) : null;
}

export function getMeeting(db: Db, id: string): MeetingDetails | null {
  const record = getMeetingRecord(db, id);
  if (!record) return null;
  return { ...record, attendees: listAttendees(db, id), agenda: getAgenda(db, id), sessions: listSessions(db, id) };
}

export function requireMeeting(db: Db, id: string): MeetingDetails {
  const meeting = getMeeting(db, id);
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
export function listMeetings(db: Db, filter: ListFilter = {}): MeetingSummary[] {
  const today = filter.today ?? new Date().toISOString().slice(0, 10);
  const where: string[] = [];
  const params: (string | number)[] = [];
  if (filter.when === 'upcoming') {
    where.push('m.end_date >= ?');
    params.push(today);
  } else if (filter.when === 'past') {
    where.push('m.end_date < ?');
    params.push(today);
  }
  if (filter.series) {
    where.push('m.series = ?');
    params.push(filter.series);
  }
  const order = filter.when === 'upcoming' ? 'm.start_date ASC, m.created_at ASC' : 'm.start_date DESC, m.created_at DESC';
  const sql = `${MEETING_SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY ${order} LIMIT ? OFFSET ?`;
  const rows = db.prepare(sql).all(...params, filter.limit ?? 100, filter.offset ?? 0) as MeetingRow[];
  return rows.map((row) => {
    const { joinUrl: _j, joinText: _t, closedAt: _c, ownerId: _o, ...summary } = toRecord(row);
    return summary;
  });
}

/**
 * Changes the fields given. New days get sessions; sessions of days no longer in range are kept,
 * because they may hold notes (they still show, after the meeting's days).
 */
export function updateMeeting(db: Db, id: string, patch: PatchMeetingBody): MeetingDetails {
  const current = getMeetingRecord(db, id);
  if (!current) throw notFound('no meeting with this id');
  const startDate = patch.startDate ?? current.startDate;
  // Moving the start past the old end without naming an end makes a one-day meeting.
  const endDate = patch.endDate !== undefined ? patch.endDate : current.endDate < startDate ? startDate : current.endDate;
  const days = meetingDays(startDate, endDate);
  if (patch.timezone !== undefined) checkTimezone(patch.timezone);
  if (patch.title !== undefined && patch.title.trim() === '') throw badRequest('title must not be blank');
  const pick = <T>(value: T | undefined, fallback: T): T => (value === undefined ? fallback : value);
  db.transaction(() => {
    db.prepare(
      `UPDATE meetings SET title = ?, series = ?, start_date = ?, end_date = ?, timezone = ?, location = ?, join_url = ?, join_text = ?, updated_at = ?
       WHERE id = ?`,
    ).run(
      pick(patch.title?.trim(), current.title),
      patch.series !== undefined ? blank(patch.series) : current.series,
      days[0],
      days[days.length - 1],
      patch.timezone !== undefined ? blank(patch.timezone) : current.timezone,
      patch.location !== undefined ? blank(patch.location) : current.location,
      patch.joinUrl !== undefined ? blank(patch.joinUrl) : current.joinUrl,
      patch.joinText !== undefined ? blank(patch.joinText) : current.joinText,
      now(),
      id,
    );
    if (patch.attendees) replaceAttendees(db, id, patch.attendees);
    if (patch.agenda) replaceAgenda(db, id, patch.agenda, days);
    ensureSessions(db, id, days);
  })();
  return getMeeting(db, id)!;
}

export function deleteMeeting(db: Db, id: string): { docs: string[] } {
  const docs = listSessions(db, id).map((session) => session.doc);
  db.transaction(() => {
    const result = db.prepare('DELETE FROM meetings WHERE id = ?').run(id);
    if (result.changes === 0) throw notFound('no meeting with this id');
    // The notes go with the meeting: its documents belong to nothing else.
    for (const doc of docs) {
      db.prepare('DELETE FROM document_updates WHERE doc = ?').run(doc);
      db.prepare('DELETE FROM documents WHERE name = ?').run(doc);
    }
  })();
  return { docs };
}

export function setClosed(db: Db, id: string, closed: boolean): MeetingRecord {
  const stamp = now();
  const result = db.prepare('UPDATE meetings SET closed_at = ?, updated_at = ? WHERE id = ?').run(closed ? stamp : null, stamp, id);
  if (result.changes === 0) throw notFound('no meeting with this id');
  return getMeetingRecord(db, id)!;
}

export function touchMeeting(db: Db, id: string): void {
  db.prepare('UPDATE meetings SET updated_at = ? WHERE id = ?').run(now(), id);
}

function replaceAttendees(db: Db, meetingId: string, attendees: AttendeeInput[]): void {
  db.prepare('DELETE FROM attendees WHERE meeting_id = ?').run(meetingId);
  const insert = db.prepare('INSERT INTO attendees (meeting_id, position, name, handle, email) VALUES (?, ?, ?, ?, ?)');
  attendees.forEach((attendee, position) => {
    if (attendee.name.trim() === '') throw badRequest(`attendees/${position}/name must not be blank`);
    insert.run(meetingId, position, attendee.name.trim(), blank(attendee.handle), blank(attendee.email));
  });
}

export function listAttendees(db: Db, meetingId: string): Attendee[] {
  return db.prepare('SELECT name, handle, email FROM attendees WHERE meeting_id = ? ORDER BY position').all(meetingId) as Attendee[];
}

/**
 * Replaces the agenda, keeping the ids of blocks and items the caller sent back (ids of another
 * meeting are not honoured: they get new ones). Items no longer present are deleted.
 */
/** A meeting's whole agenda: enough for a week-long workshop, small enough to render and seed. */
export const MAX_AGENDA_ITEMS = 1000;

function replaceAgenda(db: Db, meetingId: string, agenda: AgendaDayInput[], days: string[]): void {
  const items = agenda.reduce((sum, day) => sum + day.blocks.reduce((n, block) => n + block.items.length, 0), 0);
  if (items > MAX_AGENDA_ITEMS) throw badRequest(`an agenda holds at most ${MAX_AGENDA_ITEMS} items (this one has ${items})`);
  const ownBlocks = new Set((db.prepare('SELECT id FROM agenda_blocks WHERE meeting_id = ?').all(meetingId) as { id: string }[]).map((r) => r.id));
  const ownItems = new Set((db.prepare('SELECT id FROM agenda_items WHERE meeting_id = ?').all(meetingId) as { id: string }[]).map((r) => r.id));
  const seen = new Set<string>();
  const keep = (id: string | undefined, own: Set<string>): string => {
    const chosen = id && own.has(id) && !seen.has(id) ? id : randomId();
    seen.add(chosen);
    return chosen;
  };
  const dates = new Set<string>();
  for (const day of agenda) {
    if (!days.includes(day.date)) throw badRequest(`agenda day ${day.date} is not a day of the meeting (${days[0]} to ${days[days.length - 1]})`);
    if (dates.has(day.date)) throw badRequest(`agenda day ${day.date} appears twice`);
    dates.add(day.date);
  }
  // Items move between blocks by id, so clear positions first and upsert everything.
  const upsertBlock = db.prepare(
    `INSERT INTO agenda_blocks (id, meeting_id, date, position, title, moderator, notetaker) VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET date = excluded.date, position = excluded.position, title = excluded.title,
       moderator = excluded.moderator, notetaker = excluded.notetaker`,
  );
  const upsertItem = db.prepare(
    `INSERT INTO agenda_items (id, meeting_id, block_id, position, time, minutes, topic, coordinators, pre_notes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET block_id = excluded.block_id, position = excluded.position, time = excluded.time,
       minutes = excluded.minutes, topic = excluded.topic, coordinators = excluded.coordinators, pre_notes = excluded.pre_notes`,
  );
  const keptBlocks: string[] = [];
  const keptItems: string[] = [];
  for (const day of agenda) {
    day.blocks.forEach((block, blockPosition) => {
      const blockId = keep(block.id, ownBlocks);
      keptBlocks.push(blockId);
      upsertBlock.run(blockId, meetingId, day.date, blockPosition, blank(block.title), blank(block.moderator), blank(block.notetaker));
      block.items.forEach((item, itemPosition) => {
        const itemId = keep(item.id, ownItems);
        keptItems.push(itemId);
        if (item.topic.trim() === '') throw badRequest(`agenda item topic must not be blank (${day.date})`);
        upsertItem.run(
          itemId,
          meetingId,
          blockId,
          itemPosition,
          item.time ?? null,
          item.minutes ?? null,
          item.topic.trim(),
          JSON.stringify((item.coordinators ?? []).map((c) => c.trim()).filter(Boolean)),
          blank(item.preNotes),
        );
      });
    });
  }
  const dropItems = [...ownItems].filter((id) => !keptItems.includes(id));
  const dropBlocks = [...ownBlocks].filter((id) => !keptBlocks.includes(id));
  for (const id of dropItems) db.prepare('DELETE FROM agenda_items WHERE id = ?').run(id);
  for (const id of dropBlocks) db.prepare('DELETE FROM agenda_blocks WHERE id = ?').run(id);
}

interface BlockRow {
  id: string;
  date: string;
  title: string | null;
  moderator: string | null;
  notetaker: string | null;
}
interface ItemRow {
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

export function getAgenda(db: Db, meetingId: string): AgendaDay[] {
  const blocks = db.prepare('SELECT * FROM agenda_blocks WHERE meeting_id = ? ORDER BY date, position').all(meetingId) as BlockRow[];
  const items = db.prepare('SELECT * FROM agenda_items WHERE meeting_id = ? ORDER BY position').all(meetingId) as ItemRow[];
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

export function getAgendaItem(db: Db, meetingId: string, itemId: string): AgendaItem | null {
  const row = db.prepare('SELECT * FROM agenda_items WHERE id = ? AND meeting_id = ?').get(itemId, meetingId) as ItemRow | undefined;
  return row ? toAgendaItem(row) : null;
}

/**
 * Adds an item to a day's agenda: into `blockId` when given, else the block whose times surround
 * `time`, else the day's last block (a new block when the day has none). Items stay in time order.
 */
export function insertAgendaItem(
  db: Db,
  meetingId: string,
  placement: { date: string; blockId?: string; time?: string | null },
  item: { topic: string; minutes: number | null; coordinators: string[]; preNotes: string | null },
): AgendaItem {
  const meeting = getMeetingRecord(db, meetingId);
  if (!meeting) throw notFound('no meeting with this id');
  if (!meetingDays(meeting.startDate, meeting.endDate).includes(placement.date)) {
    throw badRequest(`${placement.date} is not a day of the meeting (${meeting.startDate} to ${meeting.endDate})`);
  }
  const blocks = db.prepare('SELECT * FROM agenda_blocks WHERE meeting_id = ? AND date = ? ORDER BY position').all(meetingId, placement.date) as BlockRow[];
  let blockId: string;
  if (placement.blockId) {
    if (!blocks.some((b) => b.id === placement.blockId)) throw badRequest('blockId is not a block of that day');
    blockId = placement.blockId;
  } else if (blocks.length === 0) {
    blockId = randomId();
    db.prepare('INSERT INTO agenda_blocks (id, meeting_id, date, position) VALUES (?, ?, ?, 0)').run(blockId, meetingId, placement.date);
  } else {
    blockId = blocks[blocks.length - 1]!.id;
    if (placement.time) {
      // The last block whose first timed item starts at or before the requested time.
      for (const block of blocks) {
        const first = db.prepare('SELECT min(time) AS t FROM agenda_items WHERE block_id = ? AND time IS NOT NULL').get(block.id) as { t: string | null };
        if (first.t && first.t <= placement.time) blockId = block.id;
      }
    }
  }
  const existing = db.prepare('SELECT id, time FROM agenda_items WHERE block_id = ? ORDER BY position').all(blockId) as { id: string; time: string | null }[];
  let at = existing.length;
  if (placement.time) {
    const index = existing.findIndex((row) => row.time !== null && row.time > placement.time!);
    if (index >= 0) at = index;
  }
  const id = randomId();
  db.transaction(() => {
    db.prepare('UPDATE agenda_items SET position = position + 1 WHERE block_id = ? AND position >= ?').run(blockId, at);
    db.prepare(
      'INSERT INTO agenda_items (id, meeting_id, block_id, position, time, minutes, topic, coordinators, pre_notes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    ).run(id, meetingId, blockId, at, placement.time ?? null, item.minutes, item.topic, JSON.stringify(item.coordinators), item.preNotes);
    touchMeeting(db, meetingId);
  })();
  return getAgendaItem(db, meetingId, id)!;
}

export function appendToItemNotes(db: Db, meetingId: string, itemId: string, text: string): void {
  const item = getAgendaItem(db, meetingId, itemId);
  if (!item) throw notFound('no agenda item with this id in this meeting');
  const notes = item.preNotes ? `${item.preNotes}\n${text}` : text;
  db.prepare('UPDATE agenda_items SET pre_notes = ? WHERE id = ?').run(notes, itemId);
}

export function deleteAgendaItem(db: Db, itemId: string): void {
  db.prepare('DELETE FROM agenda_items WHERE id = ?').run(itemId);
}

/** Gives every day of the meeting a session; an existing session for a day is kept. */
function ensureSessions(db: Db, meetingId: string, days: string[]): void {
  const existing = new Set((db.prepare('SELECT date FROM note_sessions WHERE meeting_id = ?').all(meetingId) as { date: string }[]).map((r) => r.date));
  const insert = db.prepare('INSERT INTO note_sessions (id, meeting_id, date, doc, created_at) VALUES (?, ?, ?, ?, ?)');
  for (const date of days) {
    if (existing.has(date)) continue;
    const id = randomId();
    insert.run(id, meetingId, date, `${SESSION_DOC_PREFIX}${id}`, now());
  }
}

export function listSessions(db: Db, meetingId: string): Session[] {
  return db.prepare('SELECT id, date, doc FROM note_sessions WHERE meeting_id = ? ORDER BY date, created_at').all(meetingId) as Session[];
}

export interface SessionRef {
  meetingId: string;
  sessionId: string;
  date: string;
}

/** Maps a collaboration document name to its meeting and session; null for any other document. */
export function findSessionByDoc(db: Db, docName: string): SessionRef | null {
  if (!docName.startsWith(SESSION_DOC_PREFIX)) return null;
  const row = db.prepare('SELECT id, meeting_id, date FROM note_sessions WHERE doc = ?').get(docName) as
    | { id: string; meeting_id: string; date: string }
    | undefined;
  return row ? { meetingId: row.meeting_id, sessionId: row.id, date: row.date } : null;
}
