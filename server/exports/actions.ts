// Read side of the action tracker: action_items (kept in step with the notes by server/notes)
// joined with meetings, sessions and agenda items, as the API's ActionRecord. Used by the routes,
// the calendar feed and the CLI. Nothing here writes.

import type { Db } from '../db/database.js';
import type { ActionAssignee, ActionRecord, ActionStatus } from '../../shared/api/actions.js';

interface ActionRow {
  id: string;
  meeting_id: string;
  session_id: string | null;
  agenda_item_id: string | null;
  description: string;
  source_text: string;
  assignees_json: string;
  assignee_text: string;
  everyone: number;
  due: string | null;
  done: number;
  tickets_json: string;
  removed_at: string | null;
  created_at: string;
  updated_at: string;
  meeting_title: string;
  series: string | null;
  session_date: string | null;
  agenda_item_title: string | null;
}

function parseArray(json: string): unknown[] {
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? value : [];
  } catch {
    return [];
  }
}

const str = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

/**
 * Resolved attendees, then any raw `@handle` that resolved to nobody, so a tracker still shows
 * (and filters by) who was named even when they are not on the attendee list.
 */
export function assigneesOf(assigneesJson: string, assigneeText: string): ActionAssignee[] {
  const resolved: ActionAssignee[] = [];
  for (const item of parseArray(assigneesJson)) {
    if (typeof item !== 'object' || item === null) continue;
    const { id, name, handle } = item as Record<string, unknown>;
    const label = str(name) ?? str(handle);
    if (label === null) continue;
    resolved.push({ id: typeof id === 'number' ? String(id) : str(id), name: str(name) ?? label, handle: str(handle) });
  }
  const known = new Set(resolved.map((a) => a.handle?.toLowerCase()).filter((h): h is string => h !== undefined));
  for (const raw of parseArray(assigneeText)) {
    if (typeof raw !== 'string' || !raw.startsWith('@')) continue;
    const handle = raw.slice(1);
    const lower = handle.toLowerCase();
    if (handle === '' || lower === 'all' || known.has(lower)) continue;
    // A mention of an attendee by name ("@Kian-Tat Lim") also resolved already.
    if (resolved.some((a) => a.name.toLowerCase() === lower)) continue;
    known.add(lower);
    resolved.push({ id: null, name: handle, handle });
  }
  return resolved;
}

function toRecord(row: ActionRow): ActionRecord {
  const record: ActionRecord = {
    id: row.id,
    description: row.description,
    assignees: assigneesOf(row.assignees_json, row.assignee_text),
    everyone: row.everyone === 1,
    due: row.due,
    done: row.done === 1,
    tickets: parseArray(row.tickets_json).filter((t): t is string => typeof t === 'string'),
    sessionId: row.session_id ?? '',
    meetingId: row.meeting_id,
    agendaItemId: row.agenda_item_id,
    sourceText: row.source_text,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    meetingTitle: row.meeting_title,
    series: row.series,
    sessionDate: row.session_date,
    agendaItemTitle: row.agenda_item_title,
  };
  if (row.removed_at !== null) record.removed = true;
  return record;
}

const SELECT = `
  SELECT a.id, a.meeting_id, a.session_id, a.agenda_item_id, a.description, a.source_text, a.assignees_json,
         a.assignee_text, a.everyone, a.due, a.done, a.tickets_json, a.removed_at, a.created_at, a.updated_at,
         m.title AS meeting_title, m.series AS series, s.date AS session_date, i.topic AS agenda_item_title
    FROM action_items a
    JOIN meetings m ON m.id = a.meeting_id
    LEFT JOIN note_sessions s ON s.id = a.session_id
    LEFT JOIN agenda_items i ON i.id = a.agenda_item_id`;

/**
 * Who an assignee filter means, as lower-case terms each compared with an attendee's handle,
 * name and e-mail: `['ktl']` for `assignee=KTL`, a member's e-mail and name for "my actions".
 */
export type AssigneeTerms = string[];

/**
 * Matches an action assigned to any of the terms: a resolved assignee by handle or name, or by
 * the e-mail of the attendee it resolved to; a raw `@handle`; or `All` in a meeting where one of
 * the terms is an attendee. SQLite's lower() folds ASCII only, so terms are folded the same way.
 */
const ASSIGNEE_MATCH = `(
  EXISTS (SELECT 1 FROM json_each(a.assignees_json) j
           WHERE lower(json_extract(j.value, '$.handle')) IN (SELECT value FROM json_each(@terms))
              OR lower(json_extract(j.value, '$.name')) IN (SELECT value FROM json_each(@terms))
              OR EXISTS (SELECT 1 FROM attendees t
                          WHERE t.meeting_id = a.meeting_id AND CAST(t.id AS TEXT) = CAST(json_extract(j.value, '$.id') AS TEXT)
                            AND lower(t.email) IN (SELECT value FROM json_each(@terms))))
  OR EXISTS (SELECT 1 FROM json_each(a.assignee_text) r
              WHERE lower(r.value) IN (SELECT '@' || value FROM json_each(@terms)))
  OR (a.everyone = 1 AND EXISTS (SELECT 1 FROM attendees t
              WHERE t.meeting_id = a.meeting_id
                AND (lower(t.handle) IN (SELECT value FROM json_each(@terms))
                  OR lower(t.name) IN (SELECT value FROM json_each(@terms))
                  OR lower(t.email) IN (SELECT value FROM json_each(@terms)))))
)`;

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
}

export const MAX_ACTIONS = 5000;

export function listActions(db: Db, filter: ActionFilter = {}): ActionRecord[] {
  const where: string[] = [];
  const params: Record<string, string | number> = {};
  if (filter.meetingId !== undefined) {
    where.push('a.meeting_id = @meetingId');
    params.meetingId = filter.meetingId;
  }
  if (filter.meetingIds !== undefined) {
    where.push('a.meeting_id IN (SELECT value FROM json_each(@meetingIds))');
    params.meetingIds = JSON.stringify(filter.meetingIds);
  }
  if (!filter.includeRemoved) where.push('a.removed_at IS NULL');
  if (filter.status === 'open') where.push('a.done = 0');
  if (filter.status === 'done') where.push('a.done = 1');
  if (filter.series !== undefined) {
    where.push('m.series = @series');
    params.series = filter.series;
  }
  if (filter.dueBefore !== undefined) {
    where.push('a.due IS NOT NULL AND a.due < @dueBefore');
    params.dueBefore = filter.dueBefore;
  }
  if (filter.assignee !== undefined) {
    where.push(ASSIGNEE_MATCH);
    params.terms = JSON.stringify(filter.assignee.map(foldTerm).filter((t) => t !== ''));
  }
  // One meeting reads in note order; a cross-meeting listing soonest due first.
  const order =
    filter.meetingId !== undefined
      ? 's.date, a.position, a.created_at, a.id'
      : 'a.due IS NULL, a.due, m.start_date, s.date, a.position, a.id';
  params.limit = Math.min(filter.limit ?? MAX_ACTIONS, MAX_ACTIONS);
  const sql = `${SELECT} ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY ${order} LIMIT @limit`;
  return (db.prepare(sql).all(params) as ActionRow[]).map(toRecord);
}

export function getAction(db: Db, id: string): ActionRecord | null {
  const row = db.prepare(`${SELECT} WHERE a.id = ?`).get(id) as ActionRow | undefined;
  return row ? toRecord(row) : null;
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
export function listPastActions(db: Db, meetingId: string, status: ActionStatus = 'open'): ActionRecord[] {
  const meeting = db
    .prepare<[string], { series: string | null; start_date: string; created_at: string }>(
      'SELECT series, start_date, created_at FROM meetings WHERE id = ?',
    )
    .get(meetingId);
  if (!meeting || meeting.series === null) return [];
  const doneSince = '(a.done = 1 AND a.updated_at > m.closed_at)';
  const statusClause =
    status === 'open' ? 'AND a.done = 0' : status === 'done' ? `AND ${doneSince}` : `AND (a.done = 0 OR ${doneSince})`;
  const sql = `${SELECT}
    WHERE m.series = @series AND m.id <> @id AND m.closed_at IS NOT NULL
      AND (m.start_date < @start OR (m.start_date = @start AND m.created_at < @created))
      AND a.removed_at IS NULL ${statusClause}
    ORDER BY m.start_date, s.date, a.position, a.id
    LIMIT ${MAX_ACTIONS}`;
  const rows = db
    .prepare(sql)
    .all({ series: meeting.series, id: meetingId, start: meeting.start_date, created: meeting.created_at }) as ActionRow[];
  return rows.map(toRecord);
}
