/**
 * Hocuspocus 4.7 with its SQLite extension, the database file in BENCH_DATA_DIR (kept across a
 * restart). Defaults otherwise: it stores the whole document state, debounced (2 s, max 10 s),
 * and flushes pending stores on destroy.
 */
import { join } from 'node:path';
import { Server } from '@hocuspocus/server';
import { SQLite } from '@hocuspocus/extension-sqlite';
import { announceReady, onStop } from './ready.js';

const dataDir = process.env.BENCH_DATA_DIR;
if (!dataDir) throw new Error('BENCH_DATA_DIR is required');

const server = new Server({
  port: 0,
  address: '127.0.0.1',
  quiet: true,
  // Our own handler below stops it; its default one would exit before the profile is written.
  stopOnSignals: false,
  extensions: [new SQLite({ database: join(dataDir, 'hocuspocus.db') })],
});
await server.listen();
onStop(() => server.destroy());
announceReady(server.address.port);
