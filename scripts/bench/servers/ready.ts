import { monitorEventLoopDelay } from 'node:perf_hooks';
import { getHeapSpaceStatistics, writeHeapSnapshot } from 'node:v8';
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

/**
 * The one line a bench server prints on stdout once it listens; the runner waits for it and
 * takes the port from it. Everything else a server prints is forwarded to the runner's stderr.
 */
export const READY_PREFIX = 'BENCH_READY ';

export function announceReady(port: number): void {
  process.stdout.write(`${READY_PREFIX}${JSON.stringify({ port, pid: process.pid })}\n`);
}

/** The line a server prints on stdout when it stops: its own event-loop delay over its life. */
export const LOOP_PREFIX = 'BENCH_LOOP ';

export interface LoopDelay {
  p99: number;
  max: number;
}

/**
 * Every server measures its own event-loop delay: it tells a server that blocks (a stall inside
 * the process) from one that waits for a CPU (load on the machine shows in all three alike).
 */
function loopDelayReporter(): () => void {
  const histogram = monitorEventLoopDelay({ resolution: 5 });
  histogram.enable();
  return () => {
    histogram.disable();
    const delay: LoopDelay = { p99: histogram.percentile(99) / 1e6, max: histogram.max / 1e6 };
    process.stdout.write(`${LOOP_PREFIX}${JSON.stringify(delay)}\n`);
  };
}

/** The line a server prints after a requested collection: its live heap, a supplement to /proc's RSS. */
export const HEAP_PREFIX = 'BENCH_HEAP ';

/**
 * SIGUSR2 runs a full garbage collection (servers start with --expose-gc) before memory readings,
 * twice, a second apart: V8 frees the backing stores of dead ArrayBuffers on a background thread
 * after a collection, so right after one, every frame buffer a server has copied since the last
 * collection still counts (seen: 6–13 MB of dead buffers in Quorum with 500 documents, gone a
 * second later).
 */
process.on('SIGUSR2', () => {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  setTimeout(() => {
    gc?.();
    reportHeap();
  }, 1_000);
});

function reportHeap(): void {
  const { heapUsed, external } = process.memoryUsage();
  explainMemory();
  process.stdout.write(`${HEAP_PREFIX}${JSON.stringify({ heapUsed, external })}\n`);
}

/**
 * What a memory reading is made of, on request (see RESULTS.md):
 * - BENCH_HEAP_SNAPSHOTS=<dir>: a heap snapshot per reading (diff two to see what is retained);
 * - BENCH_MEMORY_DETAIL=1: V8 spaces and the process's anonymous memory, on stderr;
 * - BENCH_MEMORY_DETAIL=gdb: also glibc's per-arena statistics, then malloc_trim(0) and the RSS
 *   after it: memory malloc has freed but kept, which RSS counts as used. This changes the
 *   process, so readings after it are no longer comparable.
 */
function explainMemory(): void {
  const dir = process.env.BENCH_HEAP_SNAPSHOTS;
  if (dir) writeHeapSnapshot(`${dir}/${process.pid}-${Date.now()}.heapsnapshot`);
  const detail = process.env.BENCH_MEMORY_DETAIL;
  if (!detail) return;
  const rollup = (): string =>
    readFileSync('/proc/self/smaps_rollup', 'utf8')
      .split('\n')
      .filter((line) => /^(Rss|Anonymous)/.test(line))
      .join(' | ');
  const spaces = Object.fromEntries(getHeapSpaceStatistics().map((space) => [space.space_name, Math.round(space.space_size / 1024)]));
  process.stderr.write(`memory ${JSON.stringify({ ...process.memoryUsage(), spacesKB: spaces })} ${rollup()}\n`);
  if (detail !== 'gdb') return;
  // malloc_stats() prints to this process's stderr; the runner forwards it.
  execFileSync('gdb', ['-p', String(process.pid), '-batch', '-ex', 'call (void)malloc_stats()', '-ex', 'call (int)malloc_trim(0)'], {
    stdio: 'ignore',
  });
  process.stderr.write(`after malloc_trim(0): ${rollup()}\n`);
}

/** Graceful stop on SIGTERM/SIGINT, so persistence runs and `--cpu-prof` writes its profile. */
export function onStop(stop: () => Promise<void>): void {
  let stopping = false;
  const report = loopDelayReporter();
  const handler = (): void => {
    if (stopping) return;
    stopping = true;
    report();
    stop().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`stop failed: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', handler);
  process.on('SIGINT', handler);
}
