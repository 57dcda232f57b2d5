import { monitorEventLoopDelay } from 'node:perf_hooks';

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

/** SIGUSR2 runs a full garbage collection (servers start with --expose-gc), before memory readings. */
process.on('SIGUSR2', () => {
  (globalThis as { gc?: () => void }).gc?.();
  const { heapUsed, external } = process.memoryUsage();
  process.stdout.write(`${HEAP_PREFIX}${JSON.stringify({ heapUsed, external })}\n`);
});

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
