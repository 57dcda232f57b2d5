/**
 * Migrations on a real SQLite file: a database written by an earlier version keeps every stored
 * update, in order, when it is opened by this one, and its search index finds what its rows say.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import * as Y from 'yjs';
import { loadMigrations, migrate, openDatabase } from '../../server/db/database.js';
import { SqliteDocumentStore } from '../../server/persistence/sqlite-document-store.js';
import { search } from '../../server/search/search.js';

const MIGRATIONS = join(dirname(fileURLToPath(import.meta.url)), '../../server/db/migrations');
let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A database migrated only as far as `version`, as an older Quorum left it. */
function databaseAt(version: number): string {
  dir = mkdtempSync(join(tmpdir(), 'quorum-migrate-'));
  const older = join(dir, 'migrations');
  mkdirSync(older);
  for (const file of readdirSync(MIGRATIONS).filter((f) => Number(f.slice(0, 3)) <= version)) copyFileSync(join(MIGRATIONS, file), join(older, file));
  const file = join(dir, 'quorum.db');
  const db = new Database(file);
  migrate(db, older);
  db.close();
  return file;
}

function edits(text: string): Uint8Array[] {
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on('update', (update: Uint8Array) => updates.push(update));
  for (const word of text.split(' ')) doc.getText('t').insert(doc.getText('t').length, `${word} `);
  return updates;
}

describe('migration 005: the update log keyed by document', () => {
  it('keeps every stored update of every document, in order, and appends after them', () => {
    const file = databaseAt(4);
    const old = new Database(file);
    const insert = old.prepare('INSERT INTO document_updates (doc, data, created_at) VALUES (?, ?, ?)');
    const a = edits('RHL: how does validation map to phase 3?');
    const b = edits('KT to send the budget sheet by 15 Jan');
    // Interleaved, as two documents edited at once leave them.
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      if (a[i]) insert.run('notes-a', a[i], Date.now());
      if (b[i]) insert.run('notes-b', b[i], Date.now());
    }
    old.close();

    const db = openDatabase(file);
    expect(db.pragma('user_version', { simple: true })).toBe(loadMigrations(MIGRATIONS).length);
    expect((db.prepare("SELECT sql FROM sqlite_master WHERE name = 'document_updates'").get() as { sql: string }).sql).toContain('WITHOUT ROWID');
    const store = new SqliteDocumentStore(db);
    expect(store.names()).toEqual(['notes-a', 'notes-b']);
    const loaded = store.load('notes-a').updates;
    expect(loaded.map((u) => Buffer.from(u).toString('hex'))).toEqual(a.map((u) => Buffer.from(u).toString('hex')));
    store.append('notes-a', b[0]!);
    expect(store.load('notes-a').updates).toHaveLength(a.length + 1);
    expect(Buffer.from(store.load('notes-a').updates.at(-1)!).equals(b[0]!)).toBe(true);
    const replica = new Y.Doc();
    for (const update of store.load('notes-b').updates) Y.applyUpdate(replica, update);
    expect(replica.getText('t').toString()).toBe('KT to send the budget sheet by 15 Jan ');
    db.close();
  });
});

describe('migration 014: a full-text index that keeps no copy of the text', () => {
  it('finds what the rows say after the upgrade, and forgets rewritten and deleted words before and after it', () => {
    const file = databaseAt(13);
    const old = new Database(file);
    old.prepare("INSERT INTO users (id, email, name, role, password_hash, created_at) VALUES ('u1', 'kt@example.org', 'KT', 'admin', 'x', 'now')").run();
    old
      .prepare("INSERT INTO meetings (id, title, series, start_date, end_date, owner_id, created_at, updated_at) VALUES ('m1', 'DMLT November', 'DMLT', '2020-11-17', '2020-11-17', 'u1', 'now', 'now')")
      .run();
    const note = old.prepare("INSERT INTO search_docs (kind, ref, meeting_id, date, title, body) VALUES ('note', ?, 'm1', '2020-11-17', ?, ?)");
    note.run('doc1 budget', 'Budget burn-down', 'the xylophone order is late');
    note.run('doc1 graphs', 'Graph generation', 'glockenspiel tuning for the release');
    note.run('doc1 other', 'Other business', 'nothing about percussion');
    old.prepare("UPDATE search_docs SET body = 'the marimba order is late' WHERE ref = 'doc1 budget'").run();
    old.prepare("DELETE FROM search_docs WHERE ref = 'doc1 graphs'").run();
    old.close();

    const db = openDatabase(file);
    expect((db.prepare("SELECT sql FROM sqlite_master WHERE name = 'search_fts'").get() as { sql: string }).sql).toMatch(/contentless_delete\s*=\s*1/);
    const titles = (q: string) => search(db, q).map((r) => r.title);
    expect(titles('marimba')).toEqual(['Budget burn-down']);
    expect(titles('xylophone')).toEqual([]);
    expect(titles('glockenspiel')).toEqual([]);
    expect(titles('percussion')).toEqual(['Other business']);
    expect(titles('november')).toEqual(['DMLT November']);
    expect(search(db, 'marimba')[0]!.snippet).toContain('marimba');

    db.prepare("UPDATE search_docs SET title = 'Budget', body = 'the vibraphone order is late' WHERE ref = 'doc1 budget'").run();
    db.prepare("DELETE FROM search_docs WHERE ref = 'doc1 other'").run();
    expect(titles('vibraphone')).toEqual(['Budget']);
    expect(titles('marimba')).toEqual([]);
    expect(titles('burn')).toEqual([]);
    expect(titles('percussion')).toEqual([]);
    expect(titles('order late')).toEqual(['Budget']);
    db.close();
  });
});
