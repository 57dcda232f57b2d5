// Upgrades, as an operator meets them: `npm start`'s server (a separate process) on a database an
// older version left upgrades it at start and keeps its notes; on a database a newer version left
// it refuses to start, says why, and changes nothing.
import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import * as Y from 'yjs';
import { loadMigrations, migrate, MIGRATIONS_DIR } from '../../server/db/database.js';
import { startChildServer, type ChildServer } from '../helpers/child.js';
import { connectProvider } from '../helpers/clients.js';
import { tempDataDir } from '../helpers/server.js';

const LATEST = loadMigrations(MIGRATIONS_DIR).length;

let server: ChildServer | null = null;
let dataDir: string;
afterEach(async () => {
  if (server && server.proc.exitCode === null) {
    server.proc.kill('SIGKILL');
    await server.exited;
  }
  server = null;
  rmSync(dataDir, { recursive: true, force: true });
});

/** A data directory whose database an older Quorum (schema `version`) wrote, with one document. */
function olderDataDir(version: number): string {
  const dir = tempDataDir();
  const older = join(dir, 'older-migrations');
  mkdirSync(older);
  for (const file of readdirSync(MIGRATIONS_DIR).filter((f) => Number(f.slice(0, 3)) <= version)) copyFileSync(join(MIGRATIONS_DIR, file), join(older, file));
  const db = new Database(join(dir, 'quorum.db'));
  db.pragma('journal_mode = WAL');
  migrate(db, older);
  const doc = new Y.Doc();
  doc.getText('t').insert(0, 'minutes from the old version');
  db.prepare('INSERT INTO documents (name, state, updated_at) VALUES (?, ?, ?)').run('old-notes', Buffer.from(Y.encodeStateAsUpdate(doc)), Date.now());
  db.close();
  rmSync(older, { recursive: true });
  return dir;
}

function schemaVersion(dir: string): number {
  const db = new Database(join(dir, 'quorum.db'), { readonly: true });
  try {
    return db.pragma('user_version', { simple: true }) as number;
  } finally {
    db.close();
  }
}

describe('upgrades', () => {
  it('a newer version upgrades an older database at start and keeps its notes', async () => {
    dataDir = olderDataDir(1);
    expect(schemaVersion(dataDir)).toBe(1);
    server = await startChildServer(dataDir, { OPEN_DOCUMENTS: 'true' });
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
    const reader = connectProvider(server.collabUrl, 'old-notes');
    try {
      await reader.synced();
      expect(reader.doc.getText('t').toString()).toBe('minutes from the old version');
    } finally {
      reader.destroy();
    }
    server.proc.kill('SIGTERM');
    await server.exited;
    expect(schemaVersion(dataDir)).toBe(LATEST);
  });

  it('an older version refuses a database a newer one wrote, says why, and changes nothing', async () => {
    dataDir = olderDataDir(LATEST);
    const file = join(dataDir, 'quorum.db');
    const db = new Database(file);
    db.pragma(`user_version = ${LATEST + 1}`);
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    const before = readFileSync(file);
    const refused = await startChildServer(dataDir).then(
      () => null,
      (error: Error) => error.message,
    );
    expect(refused).toMatch(/exited \(2\)/);
    expect(refused).toMatch(new RegExp(`written by a newer version of Quorum \\(the database has schema version ${LATEST + 1}, newer than this build knows \\(${LATEST}\\)\\)`));
    expect(readFileSync(file).equals(before)).toBe(true);
  });
});
