// What the notes layer needs to know about a session document: which meeting and session it
// belongs to, the attendees (to resolve assignees), the session date (to resolve relative dates)
// and the agenda of that day (to seed the document). Read from issue 3's tables.

import type { Db } from '../db/database.js';
import type { Attendee } from '../../shared/actions/index.js';

export interface OutlineItem {
  id: string;
  time: string | null;
  minutes: number | null;
  topic: string;
  coordinators: string[];
  preNotes: string | null;
}

export interface OutlineBlock {
  id: string | null;
  title: string | null;
  moderator: string | null;
  notetaker: string | null;
  items: OutlineItem[];
}

/** The agenda of one session (day), in order. */
export interface SessionOutline {
  title: string | null;
  date: string;
  blocks: OutlineBlock[];
}

export interface SessionContext {
  doc: string;
  meetingId: string;
  sessionId: string;
  /** YYYY-MM-DD */
  sessionDate: string;
  attendees: Attendee[];
  outline: SessionOutline;
}

export interface SessionLookup {
  /** The session a document belongs to, or null for documents of no session. */
  describe(doc: string): SessionContext | null;
  /** Names of the loaded-or-not session documents of one meeting (for pushing to all of them). */
  docsOfMeeting(meetingId: string): string[];
}

interface SessionRow {
  id: string;
  meeting_id: string;
  date: string;
  doc: string;
  title: string | null;
}

interface AttendeeRow {
  id: number | string;
  name: string;
  handle: string | null;
  email: string | null;
}

interface BlockRow {
  id: string;
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
  coordinators: string | null;
  pre_notes: string | null;
}

function parseList(json: string | null): string[] {
  if (!json) return [];
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  } catch {
    return [];
  }
}

/** Reads meetings, attendees and agenda tables (migration 002). */
export function dbSessionLookup(db: Db): SessionLookup {
  const session = db.prepare<[string], SessionRow>(
    `SELECT s.id, s.meeting_id, s.date, s.doc, m.title FROM note_sessions s JOIN meetings m ON m.id = s.meeting_id WHERE s.doc = ?`,
  );
  const attendees = db.prepare<[string], AttendeeRow>(
    `SELECT id, name, handle, email FROM attendees WHERE meeting_id = ? ORDER BY position, id`,
  );
  const blocks = db.prepare<[string, string], BlockRow>(
    `SELECT id, title, moderator, notetaker FROM agenda_blocks WHERE meeting_id = ? AND date = ? ORDER BY position, id`,
  );
  const items = db.prepare<[string, string], ItemRow>(
    `SELECT i.id, i.block_id, i.time, i.minutes, i.topic, i.coordinators, i.pre_notes
       FROM agenda_items i JOIN agenda_blocks b ON b.id = i.block_id
      WHERE b.meeting_id = ? AND b.date = ? ORDER BY i.position, i.id`,
  );
  const docs = db.prepare<[string], { doc: string }>(`SELECT doc FROM note_sessions WHERE meeting_id = ? ORDER BY date`);

  return {
    describe(doc) {
      const row = session.get(doc);
      if (!row) return null;
      const itemRows = items.all(row.meeting_id, row.date);
      return {
        doc,
        meetingId: row.meeting_id,
        sessionId: row.id,
        sessionDate: row.date,
        attendees: attendees.all(row.meeting_id).map((a) => ({ id: String(a.id), name: a.name, handle: a.handle, email: a.email })),
        outline: {
          title: row.title,
          date: row.date,
          blocks: blocks.all(row.meeting_id, row.date).map((b) => ({
            id: b.id,
            title: b.title,
            moderator: b.moderator,
            notetaker: b.notetaker,
            items: itemRows
              .filter((i) => i.block_id === b.id)
              .map((i) => ({
                id: i.id,
                time: i.time,
                minutes: i.minutes,
                topic: i.topic,
                coordinators: parseList(i.coordinators),
                preNotes: i.pre_notes,
              })),
          })),
        },
      };
    },
    docsOfMeeting(meetingId) {
      return docs.all(meetingId).map((r) => r.doc);
    },
  };
}
