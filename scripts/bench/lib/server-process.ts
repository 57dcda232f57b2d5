/** Starts one server under test as its own child process (`node --import tsx`), so /proc/<pid> is the server. */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { HEAP_PREFIX, LOOP_PREFIX, READY_PREFIX, type LoopDelay } from '../servers/ready.js';
import { isQuorum, type ServerKind, type Target } from './targets.js';

export interface ServerProcess {
  kind: ServerKind;
  pid: number;
  target: Target;
  /** Graceful stop (SIGTERM): the server persists what it holds, then exits. */
  stop(): Promise<void>;
  /** A crash (SIGKILL): nothing more is written, and the server's loop delay is not reported. */
  kill(): Promise<void>;
  /** The server's own event-loop delay over its life, once it has stopped. */
  loopDelay: LoopDelay | null;
  /** Asks the server for a full garbage collection, waits a moment, and returns its live heap then. */
  collectGarbage(): Promise<{ heapUsed: number; external: number } | null>;
}

export interface StartOptions {
  dataDir: string;
  /** Directory for `--cpu-prof` output; no profiling when unset. */
  profileDir?: string;
}

const STOCK_YJS = fileURLToPath(new URL('../servers/stock-yjs.mjs', import.meta.url));

const SCRIPTS: Record<ServerKind, string> = {
  quorum: fileURLToPath(new URL('../servers/quorum.ts', import.meta.url)),
  'quorum-bare': fileURLToPath(new URL('../servers/quorum.ts', import.meta.url)),
  reference: fileURLToPath(new URL('../servers/reference.ts', import.meta.url)),
  hocuspocus: fileURLToPath(new URL('../servers/hocuspocus.ts', import.meta.url)),
};

export async function startServer(kind: ServerKind, options: StartOptions): Promise<ServerProcess> {
  const profile = options.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.profileDir}`] : [];
  // The other servers run yjs as published; Quorum its own patched copy (see stock-yjs.mjs).
  const stockYjs = isQuorum(kind) ? [] : ['--import', STOCK_YJS];
  const child = spawn(process.execPath, [...profile, '--expose-gc', '--import', 'tsx', ...stockYjs, SCRIPTS[kind]], {
    env: {
      ...process.env,
      BENCH_DATA_DIR: options.dataDir,
      OPEN_DOCUMENTS: 'true',
      NODE_ENV: 'production',
      // Thousands of simulated users all connect from 127.0.0.1, many on one link: lift the
      // per-address and per-link socket caps that guard a real deployment.
      MAX_CONNECTIONS_PER_ADDRESS: '1000000',
      MAX_CONNECTIONS_PER_LINK: '1000000',
      // The open documents are written down every 30 s by default, for a restart after a crash;
      // scenario 4 crashes the server seconds after the meeting opened, so it writes every second.
      REMEMBER_OPEN_EVERY_MS: '1000',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const forward = (line: string): void => {
    process.stderr.write(`  [${kind}] ${line}\n`);
  };
  createInterface({ input: child.stderr! }).on('line', forward);
  let loopDelay: LoopDelay | null = null;
  let heap: { heapUsed: number; external: number } | null = null;
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${kind} server did not start within 30 s`)), 30_000);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line.startsWith(HEAP_PREFIX)) {
        heap = JSON.parse(line.slice(HEAP_PREFIX.length)) as { heapUsed: number; external: number };
        return;
      }
      if (line.startsWith(LOOP_PREFIX)) {
        loopDelay = JSON.parse(line.slice(LOOP_PREFIX.length)) as LoopDelay;
        return;
      }
      if (!line.startsWith(READY_PREFIX)) return forward(line);
      clearTimeout(timer);
      resolve((JSON.parse(line.slice(READY_PREFIX.length)) as { port: number }).port);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${kind} server exited during start (${code})`));
    });
  });
  return {
    kind,
    pid: child.pid!,
    target: { kind, port },
    stop: () => stopChild(child, kind),
    kill: () => stopChild(child, kind, 'SIGKILL'),
    get loopDelay() {
      return loopDelay;
    },
    async collectGarbage() {
      heap = null;
      child.kill('SIGUSR2');
      // The reply comes after the collection (and a heap snapshot, when asked for one).
      for (let waited = 0; heap === null && waited < 120_000; waited += 100) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      await new Promise((resolve) => setTimeout(resolve, 300));
      return heap;
    },
  };
}

function stopChild(child: ChildProcess, kind: string, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      process.stderr.write(`  [${kind}] did not stop within 30 s; killing\n`);
      child.kill('SIGKILL');
    }, 30_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill(signal);
  });
}
