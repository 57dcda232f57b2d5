// The versions of session documents, in SQLite (migration 010). A version is a keyframe (the
// whole document as one update) or a delta (the update from the previous version's state vector
// to its own); every KEYFRAME_EVERY-th version is a keyframe, so reading any version merges one
// keyframe and fewer than KEYFRAME_EVERY deltas, whatever the length of the history.

import * as Y from 'yjs';
import type { Db } from '../db/database.js';
import { randomId } from '../ids.js';
import { Authorship, type Author, type AuthorRange } from './attribution.js';

export const KEYFRAME_EVERY = 16;

export type VersionKind = 'auto' | 'named' | 'sealed' | 'restore';

export interface VersionInfo {
  id: string;
  doc: string;
  meetingId: string;
  sessionId: string;
  seq: number;
  at: string;
  kind: VersionKind;
  name: string | null;
  createdBy: string | null;
  authors: Array<{ name: string }>;
  sha256: string | null;
}

export interface NewVersion {
  doc: string;
  meetingId: string;
  sessionId: string;
  kind: VersionKind;
  name?: string | null;
  createdBy?: string | null;
  sha256?: string | null;
}

interface VersionRow {
  id: string;
  doc: string;
  meeting_id: string;
  session_id: string;
  seq: number;
  at: string;
  kind: VersionKind;
  name: string | null;
  created_by: string | null;
  authors: string;
  sha256: string | null;
}

const COLUMNS = 'id, doc, meeting_id, session_id, seq, at, kind, name, created_by, authors, sha256';

function toInfo(row: VersionRow): VersionInfo {
  return {
    id: row.id,
    doc: row.doc,
    meetingId: row.meeting_id,
    sessionId: row.session_id,
    seq: row.seq,
    at: row.at,
    kind: row.kind,
    name: row.name,
    createdBy: row.created_by,
    authors: JSON.parse(row.authors) as Array<{ name: string }>,
    sha256: row.sha256,
  };
}

/** Who wrote as which Yjs client in one document. */
export type AuthorMap = ReadonlyMap<number, Author>;

export class VersionStore {
  constructor(private readonly db: Db) {}

  /** Versions of one document, oldest first. */
  list(doc: string): VersionInfo[] {
    return (this.db.prepare(`SELECT ${COLUMNS} FROM note_versions WHERE doc = ? ORDER BY seq`).all(doc) as VersionRow[]).map(toInfo);
  }

  get(id: string): VersionInfo | null {
    const row = this.db.prepare(`SELECT ${COLUMNS} FROM note_versions WHERE id = ?`).get(id) as VersionRow | undefined;
    return row ? toInfo(row) : null;
  }

  /** The latest sealed version of each session of a meeting, in the order of the sessions' days. */
  seals(meetingId: string): VersionInfo[] {
    const rows = this.db
      .prepare(
        `SELECT ${COLUMNS} FROM note_versions v WHERE meeting_id = ? AND kind = 'sealed'
           AND seq = (SELECT max(seq) FROM note_versions w WHERE w.doc = v.doc AND w.kind = 'sealed')
         ORDER BY (SELECT date FROM note_sessions s WHERE s.id = v.session_id)`,
      )
      .all(meetingId) as VersionRow[];
    return rows.map(toInfo);
  }

  /** The state vector of the document's latest version (null before the first). */
  lastStateVector(doc: string): Uint8Array | null {
    const row = this.db.prepare('SELECT state_vector FROM note_versions WHERE doc = ? ORDER BY seq DESC LIMIT 1').get(doc) as { state_vector: Buffer } | undefined;
    return row ? new Uint8Array(row.state_vector) : null;
  }

  /**
   * Records the document as it is in `state` (one update holding all of it). Authors are the
   * users whose clients wrote since the previous version.
   */
  add(version: NewVersion, state: Uint8Array, authors: AuthorMap): VersionInfo {
    return this.db.transaction(() => {
      const last = this.db.prepare('SELECT seq, state_vector FROM note_versions WHERE doc = ? ORDER BY seq DESC LIMIT 1').get(version.doc) as
        | { seq: number; state_vector: Buffer }
        | undefined;
      const seq = (last?.seq ?? 0) + 1;
      const delta = last ? Y.diffUpdate(state, new Uint8Array(last.state_vector)) : state;
      const keyframe = !last || (seq - 1) % KEYFRAME_EVERY === 0;
      const names = new Set<string>();
      for (const client of Y.parseUpdateMeta(delta).to.keys()) {
        const author = authors.get(client);
        if (author) names.add(author.name);
      }
      const info: VersionInfo = {
        id: randomId(),
        doc: version.doc,
        meetingId: version.meetingId,
        sessionId: version.sessionId,
        seq,
        at: new Date().toISOString(),
        kind: version.kind,
        name: version.name ?? null,
        createdBy: version.createdBy ?? null,
        authors: [...names].sort().map((name) => ({ name })),
        sha256: version.sha256 ?? null,
      };
      this.db
        .prepare(
          `INSERT INTO note_versions (id, doc, meeting_id, session_id, seq, at, kind, name, created_by, keyframe, data, state_vector, authors, sha256)
           VALUES (@id, @doc, @meetingId, @sessionId, @seq, @at, @kind, @name, @createdBy, @keyframe, @data, @stateVector, @authors, @sha256)`,
        )
        .run({
          ...info,
          keyframe: keyframe ? 1 : 0,
          data: keyframe ? state : delta,
          stateVector: Y.encodeStateVectorFromUpdate(state),
          authors: JSON.stringify(info.authors),
        });
      return info;
    })();
  }

  /** The whole document at a version, as one update; null for an unknown version. */
  state(id: string): Uint8Array | null {
    const target = this.db.prepare('SELECT doc, seq FROM note_versions WHERE id = ?').get(id) as { doc: string; seq: number } | undefined;
    if (!target) return null;
    const rows = this.db
      .prepare(
        `SELECT data FROM note_versions WHERE doc = @doc AND seq <= @seq
           AND seq >= (SELECT max(seq) FROM note_versions WHERE doc = @doc AND seq <= @seq AND keyframe = 1)
         ORDER BY seq`,
      )
      .all(target) as Array<{ data: Buffer }>;
    const parts = rows.map((row) => new Uint8Array(row.data));
    return parts.length === 1 ? parts[0]! : Y.mergeUpdates(parts);
  }

  /** Bytes stored for a document's versions (README: storage cost). */
  bytes(doc: string): number {
    const row = this.db.prepare('SELECT coalesce(sum(length(data) + length(state_vector)), 0) AS bytes FROM note_versions WHERE doc = ?').get(doc) as { bytes: number };
    return row.bytes;
  }

  // ---- authors --------------------------------------------------------------------------------

  /** Records who a document's Yjs clients are; a client id keeps the first user it was seen with. */
  recordAuthors(doc: string, clients: Iterable<number>, user: { id: string; name: string }): void {
    const insert = this.db.prepare('INSERT INTO document_authors (doc, client_id, user_id, name) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING');
    this.db.transaction(() => {
      for (const client of clients) insert.run(doc, client, user.id, user.name);
    })();
  }

  authors(doc: string): AuthorMap {
    const rows = this.db.prepare('SELECT client_id, user_id, name FROM document_authors WHERE doc = ?').all(doc) as Array<{ client_id: number; user_id: string; name: string }>;
    return new Map(rows.map((row) => [row.client_id, { userId: row.user_id, name: row.name }]));
  }

  /** Everything known about who wrote a document's text: its clients, and what the server re-wrote for whom. */
  authorship(doc: string): Authorship {
    const rows = this.db.prepare('SELECT client_id, clock_start, clock_end, user_id, name FROM document_author_ranges WHERE doc = ?').all(doc) as Array<{
      client_id: number;
      clock_start: number;
      clock_end: number;
      user_id: string;
      name: string;
    }>;
    return new Authorship(
      this.authors(doc),
      rows.map((row) => ({ client: row.client_id, start: row.clock_start, end: row.clock_end, author: { userId: row.user_id, name: row.name } })),
    );
  }

  recordAuthorRanges(doc: string, ranges: readonly AuthorRange[]): void {
    const insert = this.db.prepare(
      'INSERT INTO document_author_ranges (doc, client_id, clock_start, clock_end, user_id, name) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
    );
    this.db.transaction(() => {
      for (const range of ranges) insert.run(doc, range.client, range.start, range.end, range.author.userId, range.author.name);
    })();
  }
}
