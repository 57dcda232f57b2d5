import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Db } from './database.js';

export interface CheckpointerOptions {
  /** How often the background connection copies the WAL into the database file. */
  intervalMs?: number;
  /** A WAL this long (in pages) is finished off from the main connection so that it starts over. */
  maxWalFrames?: number;
  /** Told when checkpoints moved back to the main connection (the worker failed). */
  onFallback?(error: Error): void;
  /** Told after each background round: how long the WAL is and how much of it is copied. */
  onCheckpoint?(result: CheckpointResult): void;
}

export interface CheckpointResult {
  busy: number;
  /** Frames in the WAL. */
  log: number;
  /** Of which copied into the database file. */
  checkpointed: number;
}

export interface Checkpointer {
  /** Stops the worker; the caller's connection checkpoints again (and should run a final one). */
  stop(): Promise<void>;
}

/** SQLite's own default, restored on the main connection if the worker goes away. */
const AUTOCHECKPOINT_PAGES = 1000;

// Plain CommonJS so it runs in a worker without the TypeScript loader the server may run under.
// Under a steady stream of commits one passive checkpoint never catches up (frames arrive during
// its fsync), so it repeats while each round leaves less behind; the WAL can only start over
// once a checkpoint has copied every frame.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
const checkpoint = () => {
  try {
    return db.pragma('wal_checkpoint(PASSIVE)')[0];
  } catch (error) {
    if (error.code === 'SQLITE_BUSY') return null;
    throw error;
  }
};
const timer = setInterval(() => {
  let result = checkpoint();
  for (let round = 1; result && result.log > result.checkpointed && round < workerData.maxRounds; round++) {
    const behind = result.log - result.checkpointed;
    result = checkpoint();
    if (result && result.log - result.checkpointed >= behind) break;
  }
  if (result) parentPort.postMessage(result);
}, workerData.intervalMs);
parentPort.on('message', (message) => {
  if (message !== 'stop') return;
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

/**
 * Moves WAL checkpoints off the event loop. With `synchronous = NORMAL` a commit only writes to
 * the WAL; the fsyncs happen at checkpoints, which SQLite runs inside whichever commit crosses
 * 1,000 WAL pages: a stall of up to tens of milliseconds for everyone in that tick (seen in the
 * fan-out benchmark). Passive checkpoints from a second connection never block the writer, and
 * the writer starts the WAL over once a checkpoint has caught up.
 */
export function startCheckpointer(db: Db, file: string, options: CheckpointerOptions = {}): Checkpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  db.pragma('wal_autocheckpoint = 0');
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { driver, file, intervalMs: options.intervalMs ?? 1_000, maxRounds: 5 },
  });
  worker.unref();
  const maxWalFrames = options.maxWalFrames ?? 4_000;
  worker.on('message', (result: CheckpointResult) => {
    // Writes that never pause leave no moment in which the worker has copied everything; here
    // the writer itself is the only one writing, so its checkpoint completes, and it is short
    // because the worker has already copied almost every frame.
    if (result.log >= maxWalFrames && db.open) db.pragma('wal_checkpoint(PASSIVE)');
    options.onCheckpoint?.(result);
  });
  let stopping = false;
  const fallBack = (error: Error): void => {
    if (stopping) return;
    stopping = true;
    if (db.open) db.pragma(`wal_autocheckpoint = ${AUTOCHECKPOINT_PAGES}`);
    options.onFallback?.(error);
  };
  worker.on('error', fallBack);
  worker.on('exit', (code) => fallBack(new Error(`checkpoint worker exited with code ${code}`)));
  return {
    async stop() {
      if (stopping) return;
      stopping = true;
      const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
      // Unreferenced, the worker would not keep the process alive until it exits: at shutdown
      // nothing else does, and the process would end here, before the database is closed.
      worker.ref();
      worker.postMessage('stop');
      await exited;
      if (db.open) db.pragma(`wal_autocheckpoint = ${AUTOCHECKPOINT_PAGES}`);
    },
  };
}
