/**
 * Migrations on a real SQLite file: a database written by an earlier version keeps every stored
 * update, in order, when it is opened by this one.
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
