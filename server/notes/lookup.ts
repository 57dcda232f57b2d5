// What the notes layer needs to know about a session document: which meeting and session it
// belongs to, the attendees (to resolve assignees), the session date (to resolve relative dates)
// and the agenda of that day (to seed the document). Read from issue 3's tables.

import type { Queries } from '../db/sql/index.js';
import { getAgenda, listSessions } from '../meetings/meetings.js';
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
  /** Every session document of the meeting, this one included: where its action lists are pushed. */
  meetingDocs: string[];
}

export interface SessionLookup {
  /** The session a document belongs to, or null for documents of no session. */
  describe(doc: string): Promise<SessionContext | null>;
  /**
   * Moves whenever anything `describe` reads may have changed (any meeting's title, attendees,
   * agenda or days, and so its documents): a described context stays true while this stays the
   * same.
   */
  version(): Promise<number>;
  /** Names of the loaded-or-not session documents of one meeting (the agenda's headings follow in each). */
  docsOfMeeting(meetingId: string): Promise<string[]>;
}

/** Reads meetings, attendees and agenda tables through the query layer (either dialect). */
export function queriedSessionLookup(q: Queries): SessionLookup {
  return {
    async describe(doc) {
      const row = await q
        .selectFrom('note_sessions as s')
        .innerJoin('meetings as m', 'm.id', 's.meeting_id')
        .select(['s.id', 's.meeting_id', 's.date', 'm.title'])
        .where('s.doc', '=', doc)
        .executeTakeFirst();
      if (!row) return null;
      const attendees = await q.selectFrom('attendees').select(['id', 'name', 'handle', 'email']).where('meeting_id', '=', row.meeting_id).orderBy('position').orderBy('id').execute();
      const agenda = await getAgenda(q, row.meeting_id);
      const sessions = await listSessions(q, row.meeting_id);
      return {
        doc,
        meetingId: row.meeting_id,
        sessionId: row.id,
        sessionDate: row.date,
        attendees: attendees.map((a) => ({ id: String(a.id), name: a.name, handle: a.handle, email: a.email })),
        outline: { title: row.title, date: row.date, blocks: agenda.find((day) => day.date === row.date)?.blocks ?? [] },
        meetingDocs: sessions.map((s) => s.doc),
      };
    },
    async version() {
      // Bumped by triggers (SQLite migration 007; PostgreSQL 002).
      const row = await q.selectFrom('context_version').select('version').where('id', '=', 1).executeTakeFirst();
      return row?.version ?? 0;
    },
    async docsOfMeeting(meetingId) {
      return (await listSessions(q, meetingId)).map((s) => s.doc);
    },
  };
}
