/**
 * Bench-only launcher: the real Quorum app from the one factory, on a free port, with its data
 * in BENCH_DATA_DIR (the runner keeps it across a restart). Documents named `bench-…` are open
 * (OPEN_DOCUMENTS=true in the environment the runner passes).
 */
import type { AddressInfo } from 'node:net';
import { buildApp } from '../../../server/app.js';
import { loadConfig } from '../../../server/config.js';
import { favourEventLoop } from '../../../server/thread-priority.js';
import { announceReady, onStop } from './ready.js';

const dataDir = process.env.BENCH_DATA_DIR;
if (!dataDir) throw new Error('BENCH_DATA_DIR is required');

const config = loadConfig(process.env, {
  port: 0,
  host: '127.0.0.1',
  dataDir,
  logLevel: 'warn',
  serveClient: false,
});
const app = await buildApp(config);
await app.listen({ port: 0, host: '127.0.0.1' });
// As server/main.ts does once it listens.
favourEventLoop();
onStop(() => app.close());
announceReady((app.server.address() as AddressInfo).port);
