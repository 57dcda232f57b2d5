/**
 * The one line a bench server prints on stdout once it listens; the runner waits for it and
 * takes the port from it. Everything else a server prints is forwarded to the runner's stderr.
 */
export const READY_PREFIX = 'BENCH_READY ';

export function announceReady(port: number): void {
  process.stdout.write(`${READY_PREFIX}${JSON.stringify({ port, pid: process.pid })}\n`);
}

/** Graceful stop on SIGTERM/SIGINT, so persistence runs and `--cpu-prof` writes its profile. */
export function onStop(stop: () => Promise<void>): void {
  let stopping = false;
  const handler = (): void => {
    if (stopping) return;
    stopping = true;
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
