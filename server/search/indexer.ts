// Keeps the running notes searchable: one search_docs row per agenda item's notes in each session
// document (and one for the notes before the first agenda heading), rewritten at most once per
// INDEX_INTERVAL_MS while people type and only where a section's text changed. Meetings, agenda
// items, proposals and actions are indexed by triggers (migration 010); this is the part only the
// notes layer can read.

import * as Y from 'yjs';
import type { Statement } from 'better-sqlite3';
import type { Db } from '../db/database.js';
import type { CollabExtension } from '../collab/extension.js';
import type { Room } from '../collab/room.js';
import type { Logger } from '../collab/types.js';
import type { SessionContext, SessionLookup } from '../notes/lookup.js';
import { readYjsBlocks } from '../../shared/notes/yjs-read.js';
import { ROOT_NAME } from '../../shared/notes/headless.js';
import type { DocStateSource } from '../notes/minutes.js';
import { sha256Hex } from '../ids.js';

export const INDEX_INTERVAL_MS = 1_000;
/**
 * A long meeting's notes take a while to read (~13 ms for 30,000 words): its index runs at most
 * once per this many times the last reading took, so searching costs a typed-in meeting at most
 * about half a percent of a core, however long it grows.
 */
const INDEX_COST_SHARE = 200;

interface Section {
  agendaItemId: string | null;
  text: string;
}

/** The notes of a document, grouped by the agenda item they sit under. */
export function noteSections(doc: Y.Doc): Section[] {
  const sections = new Map<string, Section>();
  for (const block of readYjsBlocks(doc.get(ROOT_NAME, Y.XmlText))) {
    const text = block.text.trim();
    // Agenda headings are the agenda's own rows (and seeded): the notes are what is under them.
    if (text === '' || block.opensAgendaItem) continue;
    const key = block.agendaItemId ?? '';
    const section = sections.get(key);
    if (section) section.text += `\n${text}`;
    else sections.set(key, { agendaItemId: block.agendaItemId, text });
  }
  return [...sections.values()];
}

interface Watched {
  room: Room;
  timer: NodeJS.Timeout | null;
  /** The session's context, read again only when the lookup's version moves (as the notes layer does). */
  context: SessionContext | null;
  contextVersion: number;
  /** The SHA-256 of each section's text as last written, by ref (the texts themselves would hold a copy of the notes per open session). */
  written: Map<string, string>;
  /** How long the last reading of the notes took (ms). */
  lastDuration: number;
  /** The document is recorded as indexed (search_indexed_docs). */
  recorded: boolean;
}

interface Statements {
  upsert: Statement;
  remove: Statement<[string]>;
  record: Statement<[string]>;
}

export class NoteSearchIndexer {
  private readonly db: Db;
  private readonly lookup: SessionLookup;
  private readonly log: Logger;
  private readonly watched = new Map<string, Watched>();
  private readonly stored: DocStateSource | null;
  private readonly statements: Statements;
  private readonly onFailure: () => void;
  private closing = false;

  constructor(options: { db: Db; lookup: SessionLookup; log: Logger; stored?: DocStateSource; onFailure?: () => void }) {
    this.db = options.db;
    this.onFailure = options.onFailure ?? (() => {});
    this.statements = {
      upsert: this.db.prepare(
        `INSERT INTO search_docs (kind, ref, meeting_id, session_id, agenda_item_id, date, title, body)
         VALUES ('note', @ref, @meetingId, @sessionId, @agendaItemId, @date, @title, @body)
         ON CONFLICT (kind, ref) DO UPDATE SET title = excluded.title, body = excluded.body, date = excluded.date
         WHERE title IS NOT excluded.title OR body IS NOT excluded.body OR date IS NOT excluded.date`,
      ),
      remove: this.db.prepare("DELETE FROM search_docs WHERE kind = 'note' AND ref = ?"),
      record: this.db.prepare('INSERT INTO search_indexed_docs (doc) VALUES (?) ON CONFLICT DO NOTHING'),
    };
    this.lookup = options.lookup;
    this.log = options.log;
    this.stored = options.stored ?? null;
  }

  readonly extension: CollabExtension = {
    name: 'search',
    onLoad: (room) => {
      if (this.closing || !this.lookup.describe(room.name)) return;
      const written = new Map(
        (this.db.prepare("SELECT ref, body FROM search_docs WHERE kind = 'note' AND ref LIKE ? ESCAPE '\\'").all(`${likeEscape(room.name)} %`) as Array<{ ref: string; body: string }>).map(
          (row) => [row.ref, sha256Hex(row.body)],
        ),
      );
      const watched: Watched = { room, timer: null, written, context: null, contextVersion: -1, lastDuration: 0, recorded: false };
      this.watched.set(room.name, watched);
      this.schedule(watched);
    },
    onChange: (room) => {
      const watched = this.watched.get(room.name);
      if (watched && watched.room === room) this.schedule(watched);
    },
    onUnload: (room) => {
      const watched = this.watched.get(room.name);
      if (!watched || watched.room !== room) return;
      this.watched.delete(room.name);
      if (watched.timer) {
        clearTimeout(watched.timer);
        this.index(watched);
      }
    },
  };

  private schedule(watched: Watched): void {
    if (watched.timer || this.closing) return;
    watched.timer = setTimeout(() => this.index(watched), Math.max(INDEX_INTERVAL_MS, INDEX_COST_SHARE * watched.lastDuration));
    watched.timer.unref();
  }

  private index(watched: Watched): void {
    watched.timer = null;
    const version = this.lookup.version();
    if (version !== watched.contextVersion || !watched.context) {
      watched.context = this.lookup.describe(watched.room.name);
      watched.contextVersion = version;
    }
    const context = watched.context;
    if (!context || !this.db.open) return;
    try {
      const started = performance.now();
      const sections = noteSections(watched.room.doc);
      watched.lastDuration = performance.now() - started;
      if (this.write(context, sections, watched.written, !watched.recorded)) watched.recorded = true;
    } catch (error) {
      // The next change tries again; a failing disk is reported by the collaboration core too.
      this.log.warn({ doc: watched.room.name, err: (error as Error).message }, 'notes not indexed for search');
      this.onFailure();
    }
  }

  /**
   * Brings a document's note rows in line with `sections`, writing only what changed (no
   * transaction at all when nothing did), and records the document as indexed if `record`.
   * Returns whether it was recorded.
   */
  private write(context: SessionContext, sections: Section[], written: Map<string, string>, record = true): boolean {
    const topics = new Map(context.outline.blocks.flatMap((b) => b.items.map((i) => [i.id, i.topic] as const)));
    const changed: Array<{ ref: string; section: Section; digest: string }> = [];
    const present = new Set<string>();
    for (const section of sections) {
      const ref = `${context.doc} ${section.agendaItemId ?? ''}`;
      present.add(ref);
      const digest = sha256Hex(section.text);
      if (written.get(ref) !== digest) changed.push({ ref, section, digest });
    }
    const gone = [...written.keys()].filter((ref) => !present.has(ref));
    if (changed.length === 0 && gone.length === 0 && !record) return false;
    const { upsert, remove, record: recordDoc } = this.statements;
    this.db.transaction(() => {
      for (const { ref, section } of changed) {
        const title = (section.agendaItemId !== null ? topics.get(section.agendaItemId) : undefined) ?? context.outline.title ?? 'Notes';
        upsert.run({ ref, meetingId: context.meetingId, sessionId: context.sessionId, agendaItemId: section.agendaItemId, date: context.sessionDate, title, body: section.text });
      }
      for (const ref of gone) remove.run(ref);
      if (record) recordDoc.run(context.doc);
    })();
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
    const docs = (this.db.prepare('SELECT doc FROM note_sessions WHERE doc NOT IN (SELECT doc FROM search_indexed_docs)').all() as Array<{ doc: string }>).map((r) => r.doc);
    let done = 0;
    for (const doc of docs) {
      if (this.closing || !this.db.open) break;
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (this.watched.has(doc)) continue;
      const context = this.lookup.describe(doc);
      const state = this.stored(doc);
      if (!context) continue;
      const ydoc = new Y.Doc();
      try {
        if (state) Y.applyUpdate(ydoc, state);
        this.write(context, noteSections(ydoc), new Map());
        done++;
      } catch (error) {
        this.log.warn({ doc, err: (error as Error).message }, 'notes not indexed for search');
      } finally {
        ydoc.destroy();
      }
    }
    return done;
  }

  /** Writes what is pending (shutdown). */
  close(): void {
    for (const watched of this.watched.values()) {
      if (watched.timer) {
        clearTimeout(watched.timer);
        this.index(watched);
      }
    }
    this.closing = true;
  }
}

function likeEscape(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

