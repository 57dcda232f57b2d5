// The versions of session documents (SQLite's migration 010, PostgreSQL's 002). A version is a
// keyframe (the whole document as one update) or a delta (the update from the previous version's
// state vector to its own); every KEYFRAME_EVERY-th version is a keyframe, so reading any version
// merges one keyframe and fewer than KEYFRAME_EVERY deltas, whatever the length of the history.

import * as Y from 'yjs';
import { sql } from 'kysely';
import { atomically, type Queries } from '../db/sql/index.js';
import { bytea } from '../db/postgres.js';
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

const COLUMNS = ['id', 'doc', 'meeting_id', 'session_id', 'seq', 'at', 'kind', 'name', 'created_by', 'authors', 'sha256'] as const;

export class VersionStore {
  /** Versions of one document are added one at a time: each takes the next number after the last. */
  private readonly adding = new Map<string, Promise<unknown>>();

  constructor(private readonly db: Queries) {}

  /** Versions of one document, oldest first. */
  async list(doc: string): Promise<VersionInfo[]> {
    return (await this.db.selectFrom('note_versions').select(COLUMNS).where('doc', '=', doc).orderBy('seq').execute()).map(toInfo);
  }

  async get(id: string): Promise<VersionInfo | null> {
    const row = await this.db.selectFrom('note_versions').select(COLUMNS).where('id', '=', id).executeTakeFirst();
    return row ? toInfo(row) : null;
  }

  /** The latest sealed version of each session of a meeting, in the order of the sessions' days. */
  async seals(meetingId: string): Promise<VersionInfo[]> {
    const rows = await this.db
      .selectFrom('note_versions as v')
      .select(COLUMNS.map((column) => `v.${column}` as const))
      .where('v.meeting_id', '=', meetingId)
      .where('v.kind', '=', 'sealed')
      .where('v.seq', '=', sql<number>`(SELECT max(seq) FROM note_versions w WHERE w.doc = v.doc AND w.kind = 'sealed')`)
      .orderBy(sql`(SELECT date FROM note_sessions s WHERE s.id = v.session_id)`)
      .execute();
    return rows.map(toInfo);
  }

  /** The state vector of the document's latest version (null before the first). */
  async lastStateVector(doc: string): Promise<Uint8Array | null> {
    const row = await this.db.selectFrom('note_versions').select('state_vector').where('doc', '=', doc).orderBy('seq', 'desc').limit(1).executeTakeFirst();
    return row ? new Uint8Array(row.state_vector) : null;
  }

  /**
   * Records the document as it is in `state` (one update holding all of it). Authors are the
   * users whose clients wrote since the previous version.
   */
  add(version: NewVersion, state: Uint8Array, authors: AuthorMap): Promise<VersionInfo> {
    const previous = this.adding.get(version.doc) ?? Promise.resolve();
    const added = previous.catch(() => {}).then(() => this.insert(version, state, authors));
    const settled = added.catch(() => {});
    this.adding.set(version.doc, settled);
    void settled.then(() => {
      if (this.adding.get(version.doc) === settled) this.adding.delete(version.doc);
    });
    return added;
  }

  private insert(version: NewVersion, state: Uint8Array, authors: AuthorMap): Promise<VersionInfo> {
    return atomically(this.db, async (trx) => {
      const last = await trx.selectFrom('note_versions').select(['seq', 'state_vector']).where('doc', '=', version.doc).orderBy('seq', 'desc').limit(1).executeTakeFirst();
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
      await trx
        .insertInto('note_versions')
        .values({
          id: info.id,
          doc: info.doc,
          meeting_id: info.meetingId,
          session_id: info.sessionId,
          seq,
          at: info.at,
          kind: info.kind,
          name: info.name,
          created_by: info.createdBy,
          keyframe: keyframe ? 1 : 0,
          data: bytea(keyframe ? state : delta),
          state_vector: bytea(Y.encodeStateVectorFromUpdate(state)),
          authors: JSON.stringify(info.authors),
          sha256: info.sha256,
        })
        .execute();
      return info;
    });
  }

  /** The whole document at a version, as one update; null for an unknown version. */
  async state(id: string): Promise<Uint8Array | null> {
    const target = await this.db.selectFrom('note_versions').select(['doc', 'seq']).where('id', '=', id).executeTakeFirst();
    if (!target) return null;
    const rows = await this.db
      .selectFrom('note_versions')
      .select('data')
      .where('doc', '=', target.doc)
      .where('seq', '<=', target.seq)
      .where('seq', '>=', sql<number>`(SELECT max(seq) FROM note_versions WHERE doc = ${target.doc} AND seq <= ${target.seq} AND keyframe = 1)`)
      .orderBy('seq')
      .execute();
    const parts = rows.map((row) => new Uint8Array(row.data));
    return parts.length === 1 ? parts[0]! : Y.mergeUpdates(parts);
  }

  /** Bytes stored for a document's versions (README: storage cost). */
  async bytes(doc: string): Promise<number> {
    const row = await this.db
      .selectFrom('note_versions')
      .select(sql<number>`coalesce(sum(length(data) + length(state_vector)), 0)`.as('bytes'))
      .where('doc', '=', doc)
      .executeTakeFirstOrThrow();
    return Number(row.bytes);
  }

  // ---- authors --------------------------------------------------------------------------------

  /** Records who a document's Yjs clients are; a client id keeps the first user it was seen with. */
  async recordAuthors(doc: string, clients: Iterable<number>, user: { id: string; name: string }): Promise<void> {
    const rows = [...clients].map((client) => ({ doc, client_id: client, user_id: user.id, name: user.name }));
    if (rows.length === 0) return;
    await this.db.insertInto('document_authors').values(rows).onConflict((oc) => oc.doNothing()).execute();
  }

  async authors(doc: string): Promise<AuthorMap> {
    const rows = await this.db.selectFrom('document_authors').select(['client_id', 'user_id', 'name']).where('doc', '=', doc).execute();
    return new Map(rows.map((row) => [row.client_id, { userId: row.user_id, name: row.name }]));
  }

  /** Everything known about who wrote a document's text: its clients, and what the server re-wrote for whom. */
  async authorship(doc: string): Promise<Authorship> {
    const rows = await this.db
      .selectFrom('document_author_ranges')
      .select(['client_id', 'clock_start', 'clock_end', 'user_id', 'name'])
      .where('doc', '=', doc)
      .execute();
    return new Authorship(
      await this.authors(doc),
      rows.map((row) => ({ client: row.client_id, start: row.clock_start, end: row.clock_end, author: { userId: row.user_id, name: row.name } })),
    );
  }

  async recordAuthorRanges(doc: string, ranges: readonly AuthorRange[]): Promise<void> {
    if (ranges.length === 0) return;
    // In slices: a restore of a long meeting carries thousands of ranges, past the dialects' parameter limits.
    await atomically(this.db, async (trx) => {
      for (let from = 0; from < ranges.length; from += 500) {
        await trx
          .insertInto('document_author_ranges')
          .values(ranges.slice(from, from + 500).map((range) => ({ doc, client_id: range.client, clock_start: range.start, clock_end: range.end, user_id: range.author.userId, name: range.author.name })))
          .onConflict((oc) => oc.doNothing())
          .execute();
      }
    });
  }
}
