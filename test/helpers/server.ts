import type { FastifyInstance } from 'fastify';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { buildApp, type BuildOptions } from '../../server/app.js';
import { loadConfig, type Config } from '../../server/config.js';

export interface TestServer {
  app: FastifyInstance;
  /** http://127.0.0.1:PORT */
  url: string;
  /** ws://127.0.0.1:PORT/collab — y-websocket's serverUrl */
  collabUrl: string;
  dataDir: string;
  config: Config;
  /** Stops the server (graceful close) and keeps the data directory. */
  stop(): Promise<void>;
  /** Stops, then starts a new server on the same data directory (a new port). */
  restart(overrides?: Partial<Config>): Promise<TestServer>;
  /**
   * Stops, then starts a new server on the same data directory and the same port, as an upgrade
   * does: open pages and clients reconnect to it by themselves.
   */
  restartInPlace(overrides?: Partial<Config>): Promise<TestServer>;
  /** Stops and deletes the data directory. */
  close(): Promise<void>;
}

export function tempDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'quorum-test-'));
}

/** A real server on an ephemeral port with a temporary SQLite database. */
export async function startServer(overrides: Partial<Config> = {}, dataDir = tempDataDir(), build: BuildOptions = {}, listenPort = 0): Promise<TestServer> {
  const config = loadConfig({}, {
    port: 0,
    host: '127.0.0.1',
    logLevel: 'silent',
    serveClient: false,
    idleUnloadMs: 200,
    ...overrides,
    dataDir,
  });
  const app = await buildApp(config, { logger: process.env.TEST_LOG ? true : false, ...build });
  await app.listen({ port: listenPort, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await app.close();
  };
  const server: TestServer = {
    app,
    url,
    collabUrl: `ws://127.0.0.1:${port}/collab`,
    dataDir,
    config: { ...config, port, publicUrl: url },
    stop,
    async restart(more = {}) {
      await stop();
      return startServer({ ...overrides, ...more }, dataDir, build);
    },
    async restartInPlace(more = {}) {
      await stop();
      return startServer({ ...overrides, ...more }, dataDir, build, port);
    },
    async close() {
      await stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return server;
}
