// What the notes layer needs to know about a session document: which meeting and session it
// belongs to, the attendees (to resolve assignees), the session date (to resolve relative dates)
// and the agenda of that day (to seed the document). Read from issue 3's tables.

import type { Db } from '../db/database.js';
import { agendaDays, type BlockRow, type ItemRow } from '../meetings/meetings.js';
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
  /**
   * Moves whenever anything `describe` reads may have changed (any meeting's title, attendees,
   * agenda or days): a described context stays true while this stays the same.
   */
  version(): number;
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

/** Reads meetings, attendees and agenda tables (migration 002). */
export function dbSessionLookup(db: Db): SessionLookup {
  const session = db.prepare<[string], SessionRow>(
    `SELECT s.id, s.meeting_id, s.date, s.doc, m.title FROM note_sessions s JOIN meetings m ON m.id = s.meeting_id WHERE s.doc = ?`,
  );
  const attendees = db.prepare<[string], AttendeeRow>(
    `SELECT id, name, handle, email FROM attendees WHERE meeting_id = ? ORDER BY position, id`,
  );
  const docs = db.prepare<[string], { doc: string }>(`SELECT doc FROM note_sessions WHERE meeting_id = ? ORDER BY date`);
  // The notes layer reads synchronously, between edits, until it moves to the query layer
  // (server/db/README.md); the meetings module's agendaDays makes the agenda of these rows.
  const blocks = db.prepare<[string], BlockRow>('SELECT * FROM agenda_blocks WHERE meeting_id = ? ORDER BY date, position');
  const items = db.prepare<[string], ItemRow>('SELECT * FROM agenda_items WHERE meeting_id = ? ORDER BY position');
  // Bumped by triggers (migration 007).
  const version = db.prepare<[], { version: number }>('SELECT version FROM context_version WHERE id = 1');

  return {
    describe(doc) {
      const row = session.get(doc);
      if (!row) return null;
      return {
        doc,
        meetingId: row.meeting_id,
        sessionId: row.id,
        sessionDate: row.date,
        attendees: attendees.all(row.meeting_id).map((a) => ({ id: String(a.id), name: a.name, handle: a.handle, email: a.email })),
        outline: {
          title: row.title,
          date: row.date,
          blocks: agendaDays(blocks.all(row.meeting_id), items.all(row.meeting_id)).find((day) => day.date === row.date)?.blocks ?? [],
        },
      };
    },
    version() {
      return version.get()?.version ?? 0;
    },
    docsOfMeeting(meetingId) {
      return docs.all(meetingId).map((r) => r.doc);
    },
  };
}
