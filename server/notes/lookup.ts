// What the notes layer needs to know about a session document: which meeting and session it
// belongs to, the attendees (to resolve assignees), the session date (to resolve relative dates)
// and the agenda of that day (to seed the document). Read from issue 3's tables.

import type { Queries } from '../db/sql/index.js';
import type { Db } from '../db/database.js';
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

/**
 * Reads meetings, attendees and agenda tables through the query layer (either dialect).
 *
 * A document's context is read once per version and shared: the seeding, the notes service, the
 * search index and the versions each ask for it when a document loads, and two of them keep it
 * while it is open. One copy (frozen: nobody may change what others hold) instead of four reads
 * and two copies (~3 KB each, with its attendees and agenda). Kept only while someone holds it.
 */
export function queriedSessionLookup(q: Queries, sqlite: Db | null = null): SessionLookup {
  const shared = new Map<string, { version: number; context: WeakRef<SessionContext> }>();
  const reading = new Map<string, Promise<SessionContext | null>>();
  const forget = new FinalizationRegistry<string>((doc) => {
    if (shared.get(doc)?.context.deref() === undefined) shared.delete(doc);
  });
  // Asked before every extraction pass (~80 a second in the fan-out benchmark): on the embedded
  // database one prepared statement, not a query built, compiled and awaited. Run outside the
  // layer's lock, it may see a change of a transaction still open; at worst that makes one
  // context read again (the version only ever moves on).
  const versionOnSqlite = sqlite?.prepare('SELECT version FROM context_version WHERE id = 1').pluck() ?? null;
  const version = async (): Promise<number> => {
    if (versionOnSqlite) return (versionOnSqlite.get() as number | undefined) ?? 0;
    // Bumped by triggers (SQLite migration 007; PostgreSQL 002).
    const row = await q.selectFrom('context_version').select('version').where('id', '=', 1).executeTakeFirst();
    return row?.version ?? 0;
  };
  const read = async (doc: string): Promise<SessionContext | null> => {
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
  };
  return {
    async describe(doc) {
      // The version first: a change landing while the context is read makes it older, never newer.
      const current = await version();
      const known = shared.get(doc);
      const held = known?.version === current ? known.context.deref() : undefined;
      if (held) return held;
      // Asked again while being read (the notes and the search index follow a version together): one read.
      const key = `${current} ${doc}`;
      let pending = reading.get(key);
      if (!pending) {
        pending = read(doc).then((context) => {
          if (context) {
            deepFreeze(context);
            // Unless a read of a later version finished first.
            if ((shared.get(doc)?.version ?? -1) <= current) shared.set(doc, { version: current, context: new WeakRef(context) });
            forget.register(context, doc);
          }
          return context;
        });
        reading.set(key, pending);
        void pending.then(
          () => reading.delete(key),
          () => reading.delete(key),
        );
      }
      return pending;
    },
    version,
    async docsOfMeeting(meetingId) {
      return (await listSessions(q, meetingId)).map((s) => s.doc);
    },
  };
}

function deepFreeze(value: unknown): void {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return;
  Object.freeze(value);
  for (const inner of Object.values(value)) deepFreeze(inner);
}
