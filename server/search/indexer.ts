// Keeps the running notes searchable: one search_docs row per agenda item's notes in each session
// document (and one for the notes before the first agenda heading), rewritten at most once per
// INDEX_INTERVAL_MS while people type and only where a section's text changed; and one row per
// action of the document, brought in line with action_items in the same transaction. Meetings,
// agenda items and proposals are indexed by triggers (migration 010).
//
// Actions were indexed by triggers too, but an extraction pass rewrites an action at every
// keystroke typed in its line, and each FTS5 write commits a segment of its own: on SQLite the
// trigger made a pass's commit about five times as costly. Here an action's text is written at
// the notes' pace, and an action nobody types in is written once. The notes layer says when a
// pass changed actions (`actionsChanged`), so a document that unloads is brought in line too;
// whatever was missed (a crash) is found at the document's next load, since each write compares
// action_items with the index itself rather than with what it remembers.

import * as Y from 'yjs';
import { sql } from 'kysely';
import { atomically, type Queries } from '../db/sql/index.js';
import type { CollabExtension } from '../collab/extension.js';
import type { Room } from '../collab/room.js';
import type { Logger } from '../collab/types.js';
import type { SessionContext, SessionLookup } from '../notes/lookup.js';
import { noteSections, SectionReader, type Section } from './sections.js';
import type { DocStateSource } from '../notes/minutes.js';
import { sha256Hex } from '../ids.js';

export const INDEX_INTERVAL_MS = 1_000;
/**
 * Indexing a document reads the sections typed in since its last indexing (sections.ts; a whole
 * 30,000-word meeting took ~13 ms to read) and rewrites those whose text changed (FTS5 tokenises
 * a rewritten section's new text whole): a document is indexed at most
 * once per this many times its last indexing took, so searching costs a typed-in meeting about
 * half a percent of a core…
 */
const INDEX_COST_SHARE = 200;
/**
 * …and all the meetings being typed in at once together about this share of a core: twenty busy
 * meetings would otherwise take twenty times one's share, growing with the sections typed in (in
 * the fan-out benchmark, when every indexing read a whole document, 1 % of the process's time
 * after 15 s of typing, 4 % after 70 s)…
 */
const INDEX_PROCESS_SHARE = 0.01;
/**
 * …but never more than this apart: on a busy machine one indexing can take a hundred times its
 * usual time, and the notes should not wait minutes to become searchable because of it.
 */
const MAX_INDEX_INTERVAL_MS = 5_000;

/**
 * How long a document's notes wait to be indexed again after a change (ms), given how long its
 * last indexing took and how many documents (itself included) wait for theirs.
 */
export function indexDelay(lastIndexingMs: number, documentsWaiting: number): number {
  const share = Math.max(INDEX_COST_SHARE * lastIndexingMs, (documentsWaiting * lastIndexingMs) / INDEX_PROCESS_SHARE);
  return Math.min(MAX_INDEX_INTERVAL_MS, Math.max(INDEX_INTERVAL_MS, share));
}

/** After a failed write, tried again after this, doubling up to 30 s, typing or not. */
const RETRY_MS = 1_000;
const MAX_RETRY_MS = 30_000;

interface Watched {
  room: Room;
  /** Reads only the sections that changed since the last indexing (sections.ts). */
  reader: SectionReader;
  timer: NodeJS.Timeout | null;
  /** The session's context, read again only when the lookup's version moves (as the notes layer does). */
  context: SessionContext | null;
  contextVersion: number;
  /** The SHA-256 of each section's text as last written, by ref (the texts themselves would hold a copy of the notes per open session). */
  written: Map<string, string>;
  /**
   * How long the last indexing took (ms), from reading the notes to committing their rows: on
   * SQLite all of it is this process's work; on PostgreSQL it includes the round trips, so a
   * document is indexed a little less often there.
   */
  lastDuration: number;
  /** The document is recorded as indexed (search_indexed_docs). */
  recorded: boolean;
  /** Writes that failed in a row (the next is tried after a backoff). */
  failures: number;
}

export class NoteSearchIndexer {
  private readonly q: Queries;
  private readonly lookup: SessionLookup;
  private readonly log: Logger;
  private readonly watched = new Map<string, Watched>();
  private readonly stored: DocStateSource | null;
  private readonly onFailure: () => void;
  /** Indexing under way (its write may still wait for the database), for shutdown. */
  private readonly writing = new Set<Promise<void>>();
  /** Watched documents whose indexing is scheduled (they changed since their last). */
  private waiting = 0;
  private closing = false;

  constructor(options: { queries: Queries; lookup: SessionLookup; log: Logger; stored?: DocStateSource; onFailure?: () => void }) {
    this.q = options.queries;
    this.onFailure = options.onFailure ?? (() => {});
    this.lookup = options.lookup;
    this.log = options.log;
    this.stored = options.stored ?? null;
  }

  readonly extension: CollabExtension = {
    name: 'search',
    onLoad: async (room) => {
      if (this.closing || !(await this.lookup.describe(room.name))) return;
      const rows = await this.q
        .selectFrom('search_docs')
        .select(['ref', 'body'])
        .where('kind', '=', 'note')
        .where(sql<boolean>`ref LIKE ${`${likeEscape(room.name)} %`} ESCAPE '\\'`)
        .execute();
      const written = new Map(rows.map((row) => [row.ref, sha256Hex(row.body)]));
      const watched: Watched = { room, reader: new SectionReader(room.doc), timer: null, written, context: null, contextVersion: -1, lastDuration: 0, recorded: false, failures: 0 };
      this.watched.set(room.name, watched);
      this.schedule(watched);
    },
    onReopen: async (room) => {
      // Nobody is joining it yet: its first indexing need not wait for the timer.
      const watched = this.watched.get(room.name);
      if (watched && watched.room === room && watched.timer) await this.indexNow(watched);
    },
    onChange: (room) => {
      const watched = this.watched.get(room.name);
      if (watched && watched.room === room) this.schedule(watched);
    },
    onUnload: (room) => {
      const watched = this.watched.get(room.name);
      if (!watched || watched.room !== room) return;
      this.watched.delete(room.name);
      watched.reader.dispose();
      if (watched.timer) void this.indexNow(watched, noteSections(watched.room.doc));
    },
  };

  private schedule(watched: Watched): void {
    if (watched.timer || this.closing) return;
    const delay = watched.failures > 0 ? Math.min(MAX_RETRY_MS, RETRY_MS * 2 ** (watched.failures - 1)) : indexDelay(watched.lastDuration, this.waiting + 1);
    watched.timer = setTimeout(() => this.track(this.index(watched)), delay);
    watched.timer.unref();
    this.waiting++;
  }

  /** Indexes a document whose indexing is scheduled now instead, tracked for shutdown. */
  private indexNow(watched: Watched, sections?: readonly Section[]): Promise<void> {
    if (watched.timer) clearTimeout(watched.timer);
    const work = this.index(watched, sections);
    this.track(work);
    return work;
  }

  private track(work: Promise<void>): void {
    this.writing.add(work);
    void work.finally(() => this.writing.delete(work));
  }

  /** Writes the document's sections: `sections` when read already (an unloading room), else read after the meeting is. */
  private async index(watched: Watched, sections?: readonly Section[]): Promise<void> {
    // Called by the timer, or by indexNow right after it cleared it (a reopened or unloading room, shutdown).
    if (watched.timer) {
      watched.timer = null;
      this.waiting--;
    }
    try {
      const version = await this.lookup.version();
      if (version !== watched.contextVersion || !watched.context) {
        watched.context = await this.lookup.describe(watched.room.name);
        watched.contextVersion = version;
      }
      const context = watched.context;
      if (!context) return;
      // Unloaded while we asked: its last reading was taken as it unloaded.
      if (!sections && this.watched.get(watched.room.name) !== watched) return;
      const started = performance.now();
      const read = sections ? null : watched.reader.read();
      if (await this.write(context, sections ?? read!.sections, watched.written, !watched.recorded)) watched.recorded = true;
      read?.written();
      watched.lastDuration = performance.now() - started;
      watched.failures = 0;
    } catch (error) {
      // Tried again after a while even if nobody types; a failing disk is reported by the collaboration core too.
      watched.failures++;
      this.log.warn({ doc: watched.room.name, err: (error as Error).message, failures: watched.failures }, 'notes not indexed for search');
      this.onFailure();
      if (!sections && this.watched.get(watched.room.name) === watched) this.schedule(watched);
    }
  }

  /**
   * Brings a document's note rows in line with `sections`, writing only what changed (no
   * transaction at all when nothing did), and records the document as indexed if `record`.
   * Returns whether it was recorded.
   */
  private async write(context: SessionContext, sections: readonly Section[] | null, written: Map<string, string>, record = true): Promise<boolean> {
    const topics = new Map(context.outline.blocks.flatMap((b) => b.items.map((i) => [i.id, i.topic] as const)));
    const changed: Array<{ ref: string; section: Section & { text: string }; digest: string }> = [];
    const present = new Set<string>();
    for (const section of sections ?? []) {
      const ref = `${context.doc} ${section.agendaItemId ?? ''}`;
      present.add(ref);
      // Unchanged since the last indexing written (SectionReader).
      if (section.text === null) continue;
      const digest = sha256Hex(section.text);
      if (written.get(ref) !== digest) changed.push({ ref, section: { agendaItemId: section.agendaItemId, text: section.text }, digest });
    }
    const gone = sections ? [...written.keys()].filter((ref) => !present.has(ref)) : [];
    const actions = await actionChanges(this.q, context.doc);
    if (changed.length === 0 && gone.length === 0 && actions.write.length === 0 && actions.drop.length === 0 && !record) return false;
    await atomically(this.q, async (trx) => {
      await writeActionRows(trx, context, actions);
      for (const { ref, section } of changed) {
        const title = (section.agendaItemId !== null ? topics.get(section.agendaItemId) : undefined) ?? context.outline.title ?? 'Notes';
        const row = { meeting_id: context.meetingId, session_id: context.sessionId, agenda_item_id: section.agendaItemId, date: context.sessionDate, title, body: section.text };
        // Only sections whose text changed get here (see `written`), so the row is rewritten.
        await trx
          .insertInto('search_docs')
          .values({ kind: 'note', ref, ...row })
          .onConflict((oc) => oc.columns(['kind', 'ref']).doUpdateSet({ title: row.title, body: row.body, date: row.date }))
          .execute();
      }
      if (gone.length > 0) await trx.deleteFrom('search_docs').where('kind', '=', 'note').where('ref', 'in', gone).execute();
      if (record) await trx.insertInto('search_indexed_docs').values({ doc: context.doc }).onConflict((oc) => oc.doNothing()).execute();
    });
    // Only once the rows are committed: a failed write is tried again in full.
    for (const { ref, digest } of changed) written.set(ref, digest);
    for (const ref of gone) written.delete(ref);
    return record;
  }

  /**
   * Reads the notes of sessions the index has never read (written before search existed), one
   * per turn of the event loop, from storage: no room is opened.
   */
  async backfill(): Promise<number> {
    if (!this.stored) return 0;
    const rows = await this.q
      .selectFrom('note_sessions')
      .select('doc')
      .where('doc', 'not in', (eb) => eb.selectFrom('search_indexed_docs').select('doc'))
      .execute();
    let done = 0;
    for (const { doc } of rows) {
      if (this.closing) break;
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (this.watched.has(doc)) continue;
      const context = await this.lookup.describe(doc);
      const state = await this.stored(doc);
      if (!context) continue;
      const ydoc = new Y.Doc();
      try {
        if (state) Y.applyUpdate(ydoc, state);
        await this.write(context, noteSections(ydoc), new Map());
        done++;
      } catch (error) {
        this.log.warn({ doc, err: (error as Error).message }, 'notes not indexed for search');
      } finally {
        ydoc.destroy();
      }
    }
    return done;
  }

  /**
   * An extraction pass changed this document's actions: their rows follow with the document's
   * next indexing, or now if the document is no longer watched (its pass came after it unloaded).
   */
  actionsChanged(doc: string): void {
    if (this.closing) return;
    const watched = this.watched.get(doc);
    if (watched) {
      this.schedule(watched);
      return;
    }
    this.track(
      (async () => {
        try {
          const context = await this.lookup.describe(doc);
          if (context) await this.write(context, null, new Map(), false);
        } catch (error) {
          this.log.warn({ doc, err: (error as Error).message }, 'actions not indexed for search');
          this.onFailure();
        }
      })(),
    );
  }

  /** Writes what is pending (shutdown), and waits for every write under way. */
  async close(): Promise<void> {
    for (const watched of this.watched.values()) {
      if (watched.timer) void this.indexNow(watched);
    }
    this.closing = true;
    await Promise.all([...this.writing]);
  }
}

function likeEscape(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** A row of action_items beside its row in the index (null columns when it has none). */
interface ActionIndexRow {
  id: string;
  meeting_id: string | null;
  session_id: string | null;
  agenda_item_id: string | null;
  description: string;
  source_text: string;
  removed_at: string | null;
  indexed: string | null;
  indexed_title: string | null;
  indexed_body: string | null;
  indexed_agenda_item_id: string | null;
}

/** What the index lacks of a document's actions: rows to write, and removed actions' rows to drop. */
interface ActionChanges {
  write: Array<ActionIndexRow & { meeting_id: string }>;
  drop: string[];
}

async function actionChanges(q: Queries, doc: string): Promise<ActionChanges> {
  const rows: ActionIndexRow[] = await q
    .selectFrom('action_items as a')
    .leftJoin('search_docs as s', (join) => join.on('s.kind', '=', 'action').onRef('s.ref', '=', 'a.id'))
    .select([
      'a.id',
      'a.meeting_id',
      'a.session_id',
      'a.agenda_item_id',
      'a.description',
      'a.source_text',
      'a.removed_at',
      's.ref as indexed',
      's.title as indexed_title',
      's.body as indexed_body',
      's.agenda_item_id as indexed_agenda_item_id',
    ])
    .where('a.doc', '=', doc)
    .execute();
  const write: ActionChanges['write'] = [];
  const drop: string[] = [];
  for (const row of rows) {
    // Searchable while in the notes (a removed action leaves the index, and comes back with it).
    if (row.removed_at !== null || row.meeting_id === null) {
      if (row.indexed !== null) drop.push(row.id);
    } else if (row.indexed === null || row.indexed_title !== row.description || row.indexed_body !== row.source_text || row.indexed_agenda_item_id !== row.agenda_item_id) {
      write.push({ ...row, meeting_id: row.meeting_id });
    }
  }
  return { write, drop };
}

/** An action is found by its description (as title) and its whole line (as text), under its session's date. */
async function writeActionRows(trx: Queries, context: SessionContext, { write, drop }: ActionChanges): Promise<void> {
  for (const row of write) {
    const values = { agenda_item_id: row.agenda_item_id, date: context.sessionDate, title: row.description, body: row.source_text };
    await trx
      .insertInto('search_docs')
      .values({ kind: 'action', ref: row.id, meeting_id: row.meeting_id, session_id: row.session_id, ...values })
      .onConflict((oc) => oc.columns(['kind', 'ref']).doUpdateSet(values))
      .execute();
  }
  if (drop.length > 0) await trx.deleteFrom('search_docs').where('kind', '=', 'action').where('ref', 'in', drop).execute();
}
