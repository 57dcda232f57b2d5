// Online backups and restores of DATA_DIR's database.
//
// A backup is taken with SQLite's online backup API from a connection of its own, while the
// server runs and writes. In WAL mode readers never block the writer, and the copy is made in one
// step under one read transaction, so it is a consistent snapshot that holds every update
// committed when the step began: every update the server acknowledged before the backup started,
// since the server stores each update before it relays or confirms it. (Copied a few pages at a
// time, each write by the server would restart the copy.) It is written beside the target and
// renamed into place, so a target file is never half written.
//
// A restore puts a backup into an empty DATA_DIR, holding the data directory's lock meanwhile:
// refused while a server runs there, and refused over existing data unless forced.
import Database from 'better-sqlite3';
import { copyFileSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { loadMigrations, MIGRATIONS_DIR } from './database.js';
import { lockDataDir, LOCK_FILE } from './data-dir-lock.js';

export const DATABASE_FILE = 'quorum.db';

export interface BackupSummary {
  file: string;
  bytes: number;
  documents: number;
  meetings: number;
  schemaVersion: number;
}

/** What a copy holds; throws if it is not a sound Quorum database this build can run. */
function inspect(file: string): Omit<BackupSummary, 'file' | 'bytes'> {
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
  } catch (error) {
    throw new Error(`${file} is not a readable SQLite database: ${(error as Error).message}`, { cause: error });
  }
  try {
    let check: unknown;
    try {
      check = db.pragma('quick_check', { simple: true });
    } catch (error) {
      throw new Error(`${file} is not a readable SQLite database: ${(error as Error).message}`, { cause: error });
    }
    if (check !== 'ok') throw new Error(`${file} is damaged (SQLite quick_check: ${String(check)})`);
    const schemaVersion = db.pragma('user_version', { simple: true }) as number;
    const known = loadMigrations(MIGRATIONS_DIR).length;
    if (schemaVersion === 0) throw new Error(`${file} is not a Quorum database (no schema)`);
    if (schemaVersion > known) throw new Error(`${file} has schema version ${schemaVersion}, newer than this build knows (${known}): restore it with the version that made it`);
    const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
    return {
      documents: count('SELECT count(*) AS n FROM (SELECT name FROM documents UNION SELECT doc FROM document_updates)'),
      meetings: count('SELECT count(*) AS n FROM meetings'),
      schemaVersion,
    };
  } finally {
    db.close();
  }
}

/** Copies the live database at `dataDir` into `target` (one file), while a server may be writing. */
export async function backupDatabase(dataDir: string, target: string): Promise<BackupSummary> {
  const source = join(dataDir, DATABASE_FILE);
  if (!existsSync(source)) throw new Error(`no Quorum database at ${source} (set DATA_DIR or --data-dir)`);
  if (existsSync(target) && statSync(target).isDirectory()) throw new Error(`${target} is a directory; give a file name`);
  mkdirSync(dirname(target), { recursive: true });
  const partial = join(dirname(target), `.${basename(target)}.partial-${process.pid}`);
  rmSync(partial, { force: true });
  const db = new Database(source, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    // Every page in one step (after the first), under one read transaction: a consistent snapshot.
    await db.backup(partial, { progress: () => 2 ** 30 });
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  } finally {
    db.close();
  }
  try {
    const summary = inspect(partial);
    renameSync(partial, target);
    return { file: target, bytes: statSync(target).size, ...summary };
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  }
}

/** Puts a backup into `dataDir`, which must hold no data (unless `force`) and no running server. */
export function restoreDatabase(backup: string, dataDir: string, { force = false } = {}): BackupSummary {
  if (!existsSync(backup)) throw new Error(`no backup at ${backup}`);
  const summary = inspect(backup);
  mkdirSync(dataDir, { recursive: true });
  const present = readdirSync(dataDir).filter((name) => name !== LOCK_FILE);
  if (present.length > 0 && !force) {
    throw new Error(`${dataDir} is not empty (${present.slice(0, 3).join(', ')}${present.length > 3 ? ', …' : ''}); restore into an empty directory, or add --force to replace its data`);
  }
  // Refused with a clear message while a server holds the directory.
  const lock = lockDataDir(dataDir);
  try {
    const target = join(dataDir, DATABASE_FILE);
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${target}${suffix}`, { force: true });
    const partial = join(dataDir, `.${DATABASE_FILE}.restoring`);
    copyFileSync(backup, partial);
    renameSync(partial, target);
    return { file: target, bytes: statSync(target).size, ...summary };
  } finally {
    lock.release();
  }
}
