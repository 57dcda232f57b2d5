// The action_items table: written only by the notes layer's extraction passes (action-store.ts), which
// keep it an index of the session documents, and read by the tracker (routes, exports, calendar
// feeds, CLI) joined with meetings, sessions and agenda items. Every reader gets the one
// ActionRecord of shared/api/actions.ts.

import { sql, type RawBuilder } from 'kysely';
import type { Queries, Sql, SqlDialect } from '../db/sql/index.js';
import type { ActionAssignee, ActionRecord, ActionStatus } from '../../shared/api/actions.js';
import type { Flag } from '../db/sql/schema.js';

/** A row of action_items, with the columns the tracker joins in. */
export interface ActionRow {
  id: string;
  doc: string;
  meeting_id: string;
  session_id: string | null;
  agenda_item_id: string | null;
  description: string;
  source_text: string;
  assignees_json: string;
  assignee_text: string;
  everyone: Flag;
  due: string | null;
  done: Flag;
  tickets_json: string;
  position: number;
  removed_at: string | null;
  created_at: string;
  updated_at: string;
  meeting_title: string | null;
  series: string | null;
  session_date: string | null;
  agenda_item_title: string | null;
}

/** The columns an extraction pass writes. */
export type ContentColumns = Pick<
  ActionRow,
  'meeting_id' | 'session_id' | 'agenda_item_id' | 'description' | 'source_text' | 'assignees_json' | 'assignee_text' | 'everyone' | 'due' | 'done' | 'tickets_json'
>;

function parseArray(json: string): unknown[] {
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? value : [];
  } catch {
    return [];
  }
}

const str = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

/** The stored assignees: attendees the names resolved to, then `@handles` that named nobody. */
export function assigneesOf(assigneesJson: string): ActionAssignee[] {
  const assignees: ActionAssignee[] = [];
  for (const item of parseArray(assigneesJson)) {
    if (typeof item !== 'object' || item === null) continue;
    const { id, name, handle } = item as Record<string, unknown>;
    const label = str(name) ?? str(handle);
    if (label === null) continue;
    assignees.push({ id: typeof id === 'number' ? String(id) : str(id), name: str(name) ?? label, handle: str(handle) });
  }
  return assignees;
}

function toRecord(row: ActionRow): ActionRecord {
  const record: ActionRecord = {
    id: row.id,
    description: row.description,
    assignees: assigneesOf(row.assignees_json),
    assigneeText: parseArray(row.assignee_text).filter((t): t is string => typeof t === 'string'),
    everyone: row.everyone === 1,
    due: row.due,
    done: row.done === 1,
    tickets: parseArray(row.tickets_json).filter((t): t is string => typeof t === 'string'),
    sessionId: row.session_id ?? '',
    meetingId: row.meeting_id,
    agendaItemId: row.agenda_item_id,
    sourceText: row.source_text,
    position: row.position,
    removed: row.removed_at !== null,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    series: row.series,
    sessionDate: row.session_date,
    agendaItemTitle: row.agenda_item_title,
  };
  if (row.meeting_title !== null) record.meetingTitle = row.meeting_title;
  return record;
}

/** The joined select every reader and the write side use. */
export const selectActions = (q: Queries) =>
  q
    .selectFrom('action_items as a')
    .innerJoin('meetings as m', 'm.id', 'a.meeting_id')
    .leftJoin('note_sessions as s', 's.id', 'a.session_id')
    .leftJoin('agenda_items as i', 'i.id', 'a.agenda_item_id')
    .selectAll('a')
    .select(['m.title as meeting_title', 'm.series as series', 's.date as session_date', 'i.topic as agenda_item_title']);

export const toRecords = (rows: unknown[]): ActionRecord[] => (rows as ActionRow[]).map(toRecord);

/**
 * Who an assignee filter means, as lower-case terms each compared with an attendee's handle,
 * name and e-mail: `['ktl']` for `assignee=KTL`, a member's e-mail and name for "my actions".
 */
export type AssigneeTerms = string[];

/**
 * Matches an action assigned to any of the terms: a resolved assignee by handle or name, or by
 * the e-mail of the attendee it resolved to; a raw `@handle`; or `All` in a meeting where one of
 * the terms is an attendee. Case is folded in ASCII only, as SQLite's lower() does, on both
 * sides and in both dialects. The JSON columns are read with each dialect's own functions.
 */
function assigneeMatch(dialect: SqlDialect, terms: string[]): RawBuilder<boolean> {
  const at = terms.map((term) => `@${term}`);
  if (dialect === 'sqlite') {
    const list = (values: string[]) => sql`(SELECT value FROM json_each(${JSON.stringify(values)}))`;
    return sql<boolean>`(
      EXISTS (SELECT 1 FROM json_each(a.assignees_json) j
               WHERE lower(json_extract(j.value, '$.handle')) IN ${list(terms)}
                  OR lower(json_extract(j.value, '$.name')) IN ${list(terms)}
                  OR EXISTS (SELECT 1 FROM attendees t
                              WHERE t.meeting_id = a.meeting_id AND CAST(t.id AS TEXT) = CAST(json_extract(j.value, '$.id') AS TEXT)
                                AND lower(t.email) IN ${list(terms)}))
      OR EXISTS (SELECT 1 FROM json_each(a.assignee_text) r WHERE lower(r.value) IN ${list(at)})
      OR (a.everyone = 1 AND EXISTS (SELECT 1 FROM attendees t
                  WHERE t.meeting_id = a.meeting_id
                    AND (lower(t.handle) IN ${list(terms)} OR lower(t.name) IN ${list(terms)} OR lower(t.email) IN ${list(terms)}))))`;
  }
  const fold = (value: RawBuilder<unknown>) => sql`translate(${value}, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')`;
  const any = (values: string[]) => sql`ANY(${values}::text[])`;
  return sql<boolean>`(
    EXISTS (SELECT 1 FROM jsonb_array_elements(a.assignees_json::jsonb) j
             WHERE ${fold(sql`j->>'handle'`)} = ${any(terms)}
                OR ${fold(sql`j->>'name'`)} = ${any(terms)}
                OR EXISTS (SELECT 1 FROM attendees t
                            WHERE t.meeting_id = a.meeting_id AND t.id::text = j->>'id' AND ${fold(sql`t.email`)} = ${any(terms)}))
    OR EXISTS (SELECT 1 FROM jsonb_array_elements_text(a.assignee_text::jsonb) r WHERE ${fold(sql`r`)} = ${any(at)})
    OR (a.everyone = 1 AND EXISTS (SELECT 1 FROM attendees t
                WHERE t.meeting_id = a.meeting_id
                  AND (${fold(sql`t.handle`)} = ${any(terms)} OR ${fold(sql`t.name`)} = ${any(terms)} OR ${fold(sql`t.email`)} = ${any(terms)}))))`;
}

/** ASCII-only lower-casing, as SQLite's lower() does, so both sides fold alike. */
export function foldTerm(term: string): string {
  return term.trim().replace(/^@/, '').replace(/[A-Z]/g, (ch) => ch.toLowerCase());
}

export interface ActionFilter {
  meetingId?: string;
  /** Only these meetings (a guest sees its link's meeting only). */
  meetingIds?: string[];
  status?: ActionStatus;
  series?: string;
  /** Due strictly before this date (YYYY-MM-DD); undated actions are left out. */
  dueBefore?: string;
  assignee?: AssigneeTerms;
  includeRemoved?: boolean;
  limit?: number;
  offset?: number;
}

/** The most actions one listing answers: years of a team's actions, not an unbounded answer. */
export const MAX_ACTIONS = 20_000;

export async function listActions(layer: Sql, filter: ActionFilter = {}): Promise<ActionRecord[]> {
  if (filter.meetingIds !== undefined && filter.meetingIds.length === 0) return [];
  let query = selectActions(layer.db);
  if (filter.meetingId !== undefined) query = query.where('a.meeting_id', '=', filter.meetingId);
  if (filter.meetingIds !== undefined) query = query.where('a.meeting_id', 'in', filter.meetingIds);
  if (!filter.includeRemoved) query = query.where('a.removed_at', 'is', null);
  if (filter.status === 'open') query = query.where('a.done', '=', 0);
  if (filter.status === 'done') query = query.where('a.done', '=', 1);
  if (filter.series !== undefined) query = query.where('m.series', '=', filter.series);
  if (filter.dueBefore !== undefined) query = query.where('a.due', 'is not', null).where('a.due', '<', filter.dueBefore);
  if (filter.assignee !== undefined) query = query.where(assigneeMatch(layer.dialect, filter.assignee.map(foldTerm).filter((t) => t !== '')));
  // One meeting reads in note order; a cross-meeting listing soonest due first.
  query =
    filter.meetingId !== undefined
      ? query.orderBy('s.date').orderBy('a.position').orderBy('a.created_at').orderBy('a.id')
      : query.orderBy(sql`a.due IS NULL`).orderBy('a.due').orderBy('m.start_date').orderBy('s.date').orderBy('a.position').orderBy('a.id');
  return toRecords(
    await query
      .limit(Math.min(filter.limit ?? MAX_ACTIONS, MAX_ACTIONS))
      .offset(filter.offset ?? 0)
      .execute(),
  );
}

export async function getAction(q: Queries, id: string): Promise<ActionRecord | null> {
  const row = await selectActions(q).where('a.id', '=', id).executeTakeFirst();
  return row ? toRecords([row])[0]! : null;
}

/**
 * Past actions of a meeting: the open actions of the earlier meetings of its series that have
 * been closed. Computed when asked rather than copied at close: closing is the moment they start
 * to show (a meeting still open carries nothing over), reopening withdraws them, and a tick
 * anywhere is seen everywhere at once, since there is only ever one record per action.
 * "Earlier" is by start date, then creation for meetings starting the same day.
 *
 * `done` and `all` add the carried actions ticked since: done, and last changed after their
 * meeting closed. A closed meeting's notes change only by such ticks, so an action done before
 * the close (never carried) is not among them.
 */
export async function listPastActions(q: Queries, meetingId: string, status: ActionStatus = 'open'): Promise<ActionRecord[]> {
  const meeting = await placeInSeries(q, meetingId);
  if (!meeting) return [];
  const doneSince = sql<boolean>`(a.done = 1 AND a.updated_at > m.closed_at)`;
  const statusClause = status === 'open' ? sql<boolean>`a.done = 0` : status === 'done' ? doneSince : sql<boolean>`(a.done = 0 OR ${doneSince})`;
  const rows = await selectActions(q)
    .where('m.series', '=', meeting.series)
    .where('m.id', '<>', meetingId)
    .where('m.closed_at', 'is not', null)
    .where(seriesOrder(meeting, '<'))
    .where('a.removed_at', 'is', null)
    .where(statusClause)
    .orderBy('m.start_date')
    .orderBy('s.date')
    .orderBy('a.position')
    .orderBy('a.id')
    .limit(MAX_ACTIONS)
    .execute();
  return toRecords(rows);
}

/**
 * The session documents of the meetings a meeting's actions are carried into (listPastActions
 * seen from the other side): the later meetings of its series, by the same order. Their pages
 * are told when what they carry changes. With the place a meeting moved from, those after that
 * place as well.
 */
export async function laterMeetingDocs(q: Queries, meetingId: string, formerPlace?: { series: string; startDate: string }): Promise<string[]> {
  const meeting = await meetingPlace(q, meetingId);
  if (!meeting) return [];
  const places: PlaceInSeries[] = [];
  if (meeting.series !== null) places.push({ series: meeting.series, start_date: meeting.start_date, created_at: meeting.created_at });
  // It moved: the meetings after where it stood carried it until now (its creation is as was).
  if (formerPlace) places.push({ series: formerPlace.series, start_date: formerPlace.startDate, created_at: meeting.created_at });
  const docs = new Set<string>();
  for (const place of places) {
    const rows = await q
      .selectFrom('note_sessions as s')
      .innerJoin('meetings as m', 'm.id', 's.meeting_id')
      .select('s.doc')
      .where('m.series', '=', place.series)
      .where('m.id', '<>', meetingId)
      .where(seriesOrder(place, '>'))
      .execute();
    for (const row of rows) docs.add(row.doc);
  }
  return [...docs];
}

interface PlaceInSeries {
  series: string;
  start_date: string;
  created_at: string;
}

/** A meeting's series (or none), start date and creation; undefined for no such meeting. */
function meetingPlace(q: Queries, meetingId: string) {
  return q.selectFrom('meetings').select(['series', 'start_date', 'created_at']).where('id', '=', meetingId).executeTakeFirst();
}

/** Where a meeting stands in its series; null for a meeting of no series (or none). */
async function placeInSeries(q: Queries, meetingId: string): Promise<PlaceInSeries | null> {
  const meeting = await meetingPlace(q, meetingId);
  return meeting && meeting.series !== null ? { series: meeting.series, start_date: meeting.start_date, created_at: meeting.created_at } : null;
}

/**
 * Meetings `m` before (`<`) or after (`>`) this one in the series: by start date, and on the same
 * start date by creation.
 */
function seriesOrder(meeting: PlaceInSeries, direction: '<' | '>'): RawBuilder<boolean> {
  const op = sql.raw(direction);
  return sql<boolean>`(m.start_date ${op} ${meeting.start_date} OR (m.start_date = ${meeting.start_date} AND m.created_at ${op} ${meeting.created_at}))`;
}

/** A row of action_items as stored (no joined columns). */
export type StoredRow = Omit<ActionRow, 'meeting_title' | 'series' | 'session_date' | 'agenda_item_title'>;
