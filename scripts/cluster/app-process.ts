/**
 * The whole service (server/main.ts, as `npm start` runs it) as a process of its own on a
 * shared PostgreSQL, for the cluster test and bench: its own data directory and port, the
 * share-link key every process of the cluster shares, and HAProxy's address as its public one.
 * Which process owns a document is read from PostgreSQL itself (ownerOf).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { freePort } from '../../test/helpers/processes.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface AppProcess {
  pid: number;
  port: number;
  /** http://127.0.0.1:PORT, this process alone (not through HAProxy). */
  url: string;
  /** SIGKILL, and wait for it to be gone. */
  kill(): Promise<void>;
  /** SIGTERM (every document written and released), and wait. */
  stop(): Promise<void>;
}

export interface AppProcessOptions {
  databaseUrl: string;
  linkKey: string;
  /** What share links and the allowed Host header say (HAProxy's address). */
  publicUrl: string;
  port?: number;
  env?: Record<string, string>;
}

export async function startAppProcess(options: AppProcessOptions): Promise<AppProcess> {
  const port = options.port ?? (await freePort());
  const dataDir = mkdtempSync(join(tmpdir(), 'quorum-app-'));
  const proc = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: options.databaseUrl,
      DATABASE_POOL_SIZE: '4',
      LINK_KEY: options.linkKey,
      DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_URL: options.publicUrl,
      SERVE_CLIENT: 'false',
      LOG_LEVEL: 'warn',
      ...options.env,
    },
    // CLUSTER_LOGS=1 shows the processes' logs (LOG_LEVEL as set).
    stdio: ['ignore', process.env.CLUSTER_LOGS ? 'inherit' : 'ignore', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const cleanUp = async (signal: NodeJS.Signals) => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
    await exited;
    rmSync(dataDir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (proc.exitCode !== null) {
      await cleanUp('SIGKILL');
      throw new Error(`the server process exited (${proc.exitCode}) before it was ready`);
    }
    if ((await fetch(`${url}/readyz`).catch(() => null))?.ok) break;
    if (Date.now() > deadline) {
      await cleanUp('SIGKILL');
      throw new Error('the server process was not ready within two minutes');
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { pid: proc.pid!, port, url, kill: () => cleanUp('SIGKILL'), stop: () => cleanUp('SIGTERM') };
}

/**
 * The pid of the process that owns each of these documents (holds its advisory lock), or
 * nothing for a document nobody has loaded: read from pg_locks, the owner connection being
 * named after its process (persistence/postgres-document-store.ts).
 */
export async function ownersOf(databaseUrl: string, docs: string[]): Promise<Map<string, number>> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ doc: string; application_name: string }>(
      `SELECT d.doc, a.application_name
         FROM unnest($1::text[]) AS d(doc)
         JOIN pg_locks l ON l.locktype = 'advisory' AND l.granted
                        AND ((l.classid::bigint << 32) | l.objid::bigint) = hashtextextended(d.doc, 0)
         JOIN pg_stat_activity a ON a.pid = l.pid`,
      [docs],
    );
    const owners = new Map<string, number>();
    for (const row of rows) {
      const pid = /^quorum owner .*:(\d+)$/.exec(row.application_name)?.[1];
      if (pid) owners.set(row.doc, Number(pid));
    }
    return owners;
  } finally {
    await client.end();
  }
}
