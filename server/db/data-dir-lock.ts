// One server per data directory. Two servers on one DATA_DIR both appear to work, but neither sees
// the other's edits and each compaction overwrites the other's state: acknowledged notes are lost.
// So the server takes an exclusive lock before it opens the database, and a second one refuses to
// start. The lock is SQLite's own (an exclusive transaction held on `quorum.lock`, a small file of
// its own): the operating system releases it when the process ends, however it ends, so a server
// killed with SIGKILL can be restarted at once. (Like SQLite, this relies on POSIX advisory locks:
// a DATA_DIR on a network filesystem that does not honour them is not protected.)
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

export class DataDirInUseError extends Error {}

export interface DataDirLock {
  release(): void;
}

export const LOCK_FILE = 'quorum.lock';

export function lockDataDir(dataDir: string): DataDirLock {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, LOCK_FILE);
  const db = new Database(file);
  try {
    db.pragma('busy_timeout = 0');
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE');
  } catch (error) {
    db.close();
    if ((error as { code?: string }).code === 'SQLITE_BUSY') {
      throw new DataDirInUseError(`another Quorum server is using ${dataDir} (it holds ${file}); stop it first, or give this server another DATA_DIR`);
    }
    throw error;
  }
  return {
    release() {
      if (!db.open) return;
      try {
        db.exec('ROLLBACK');
      } finally {
        db.close();
      }
    },
  };
}
