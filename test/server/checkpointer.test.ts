import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { copyFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { openDatabase, type Db } from '../../server/db/database.js';
import { startCheckpointer, type Checkpointer, type CheckpointResult } from '../../server/db/checkpointer.js';
import { SqliteDocumentStore } from '../../server/persistence/sqlite-document-store.js';
import { tempDataDir } from '../helpers/server.js';
import { waitFor } from '../helpers/wait.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function open(): { db: Db; file: string } {
  const dir = tempDataDir();
  const file = join(dir, 'quorum.db');
  const db = openDatabase(file);
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  cleanups.push(() => {
    if (db.open) db.close();
  });
  return { db, file };
}

function walBytes(file: string): number {
  try {
    return statSync(`${file}-wal`).size;
  } catch {
    return 0;
  }
}

/** Appends `count` 4 KB updates (about 20 KB of WAL each), one commit each, yielding now and then as a server would. */
async function appendMany(store: SqliteDocumentStore, count: number, first = 0): Promise<void> {
  const update = new Uint8Array(4096).fill(7);
  for (let i = first; i < first + count; i++) {
    store.append(`doc-${i % 10}`, update);
    if (i % 100 === 99) await new Promise((resolve) => setImmediate(resolve));
  }
}

describe('background WAL checkpoints', () => {
  it('keep the WAL bounded under steady writes while the main connection never checkpoints by itself', async () => {
    const { db, file } = open();
    const rounds: CheckpointResult[] = [];
    const checkpointer: Checkpointer = startCheckpointer(db, file, {
      intervalMs: 20,
      maxWalFrames: 1000,
      onCheckpoint: (result) => rounds.push(result),
    });
    cleanups.push(() => checkpointer.stop());
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    const store = new SqliteDocumentStore(db);
    // About 60 MB of WAL frames in all if nothing were checkpointed, 2 MB per batch. Between
    // batches the writer pauses as a server does, here until the worker reports that it caught
    // up (however slow the machine), so the next commit starts the WAL over: the file never
    // holds much more than one batch.
    let largest = 0;
    for (let batch = 0; batch < 30; batch++) {
      await appendMany(store, 100, batch * 100);
      largest = Math.max(largest, walBytes(file));
      const seen = rounds.length;
      await waitFor(() => rounds.slice(seen).some((round) => round.log === round.checkpointed));
    }
    expect(largest).toBeLessThan(8 * 1024 * 1024);
    expect(db.prepare('SELECT count(*) AS n FROM document_updates').get()).toEqual({ n: 3000 });
  });

  it('copy committed writes into the database file itself', async () => {
    const { db, file } = open();
    const checkpointer = startCheckpointer(db, file, { intervalMs: 20 });
    cleanups.push(() => checkpointer.stop());
    await appendMany(new SqliteDocumentStore(db), 200);
    // The database file alone, without its WAL, holds every row once the worker has caught up.
    const copy = join(tempDataDir(), 'copy.db');
    cleanups.push(() => rmSync(dirname(copy), { recursive: true, force: true }));
    await waitFor(() => {
      copyFileSync(file, copy);
      const alone = new Database(copy, { readonly: true });
      try {
        return (alone.prepare('SELECT count(*) AS n FROM document_updates').get() as { n: number }).n === 200;
      } finally {
        alone.close();
      }
    });
  });

  it('hand checkpoints back to the main connection when stopped', async () => {
    const { db, file } = open();
    const checkpointer = startCheckpointer(db, file, { intervalMs: 20 });
    await checkpointer.stop();
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
  });

  it('fall back to checkpoints on the main connection if the worker fails', async () => {
    const { db } = open();
    const failures: string[] = [];
    // A file the worker cannot open as a database makes it fail at start.
    const checkpointer = startCheckpointer(db, '/nonexistent-dir/quorum.db', { onFallback: (error) => failures.push(error.message) });
    cleanups.push(() => checkpointer.stop());
    await waitFor(() => failures.length > 0);
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
  });
});
