// When extraction passes run (server/notes/pass-scheduler.ts), on a fake clock: the policy is
// about milliseconds, and a real clock on a busy machine would make every assertion a race. Its
// effect on the server's CPU is measured by scenario 1a of `npm run bench`.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MIN_DELAY_MS, PassScheduler, type PassTiming } from '../../server/notes/pass-scheduler.js';

const THROTTLE = 250;
const T0 = 1_000_000;

let runs: Array<{ item: string; at: number }>;
let scheduler: PassScheduler<string>;

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  vi.setSystemTime(T0);
  runs = [];
  scheduler = new PassScheduler<string>(THROTTLE, (item) => runs.push({ item, at: Date.now() }));
});
afterEach(() => {
  scheduler.close();
  vi.useRealTimers();
});

/** A document whose last pass started `ago` ms before now, read since its load, never failed. */
function timing(ago: number, more: Partial<PassTiming> = {}): PassTiming {
  return { lastStart: Date.now() - ago, lastDuration: 1, failures: 0, read: true, ...more };
}

const ran = (): string[] => runs.map((r) => r.item);

/** One turn of the (real) event loop: the scheduler runs one due pass per turn. */
const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Moves the (fake) clock on by `ms`, then lets the passes that fell due run. */
async function wait(ms: number): Promise<void> {
  vi.advanceTimersByTime(ms);
  for (let n = 0; n < 10; n++) await turn();
}

describe('extraction pass scheduling', () => {
  it('runs a quiet document soon after its change, and a busy one a throttle interval after its last pass', async () => {
    scheduler.schedule('quiet', timing(10_000));
    scheduler.schedule('busy', timing(100));
    await wait(MIN_DELAY_MS);
    expect(runs).toEqual([{ item: 'quiet', at: T0 + MIN_DELAY_MS }]);
    await wait(THROTTLE - 100 - MIN_DELAY_MS - 1);
    expect(ran()).toEqual(['quiet']);
    await wait(1);
    expect(runs[1]).toEqual({ item: 'busy', at: T0 + THROTTLE - 100 });
  });

  it('runs the documents due within half an interval with the one that falls due, and from then on together', async () => {
    scheduler.schedule('a', timing(10_000));
    // Due 100 ms later than a: within half an interval of it.
    scheduler.schedule('b', timing(THROTTLE - MIN_DELAY_MS - 100));
    // Due 200 ms later: not yet.
    scheduler.schedule('c', timing(THROTTLE - MIN_DELAY_MS - 200));
    await wait(MIN_DELAY_MS);
    expect(runs).toEqual([
      { item: 'a', at: T0 + MIN_DELAY_MS },
      { item: 'b', at: T0 + MIN_DELAY_MS },
    ]);
    // Typed in again at once: their next passes are due at 270, c's at 220, which takes them along.
    scheduler.schedule('a', timing(0));
    scheduler.schedule('b', timing(0));
    await wait(200);
    expect(runs.slice(2)).toEqual([
      { item: 'c', at: T0 + 220 },
      { item: 'a', at: T0 + 220 },
      { item: 'b', at: T0 + 220 },
    ]);
    // From then on the three fall due together.
    for (const item of ['a', 'b', 'c']) scheduler.schedule(item, timing(0));
    await wait(THROTTLE);
    expect(runs.slice(5)).toEqual([
      { item: 'a', at: T0 + 220 + THROTTLE },
      { item: 'b', at: T0 + 220 + THROTTLE },
      { item: 'c', at: T0 + 220 + THROTTLE },
    ]);
  });

  it('never cuts short a backoff after failures, a slow document’s longer interval, or the wait before a first read', async () => {
    // Each of these is due within half an interval of a's pass, but waits for a reason of its own.
    scheduler.schedule('failing', timing(10_000, { failures: 1 }));
    await wait(400);
    scheduler.schedule('slow', timing(220, { lastDuration: 150 }));
    scheduler.schedule('loading', timing(150, { read: false }));
    scheduler.schedule('a', timing(10_000));
    await wait(MIN_DELAY_MS);
    expect(ran()).toEqual(['a']);
    await wait(60);
    expect(runs.slice(1)).toEqual([{ item: 'slow', at: T0 + 480 }]);
    await wait(20);
    expect(runs.slice(2)).toEqual([
      { item: 'failing', at: T0 + 2 * THROTTLE },
      { item: 'loading', at: T0 + 2 * THROTTLE },
    ]);
  });

  it('runs one slow pass per turn of the event loop, and a due one ahead of those taken along early', async () => {
    // Passes of 10 ms: one per turn.
    scheduler.ran(10);
    scheduler.schedule('a', timing(10_000, { lastDuration: 10 }));
    scheduler.schedule('b', timing(THROTTLE - 100, { lastDuration: 10 }));
    scheduler.schedule('c', timing(THROTTLE - 100, { lastDuration: 10 }));
    scheduler.schedule('gone', timing(THROTTLE - 100, { lastDuration: 10 }));
    scheduler.cancel('gone');
    expect(scheduler.pending('gone')).toBe(false);
    vi.advanceTimersByTime(MIN_DELAY_MS);
    // a fell due and took b and c along; each waits for a turn of its own.
    expect(ran()).toEqual([]);
    await turn();
    expect(ran()).toEqual(['a']);
    // A quiet meeting's first change meanwhile: its pass goes ahead of b's and c's.
    scheduler.schedule('quiet', timing(10_000, { lastDuration: 10 }));
    vi.advanceTimersByTime(MIN_DELAY_MS);
    await turn();
    expect(ran()).toEqual(['a', 'quiet']);
    await turn();
    expect(ran()).toEqual(['a', 'quiet', 'b']);
    await wait(10_000);
    expect(ran()).toEqual(['a', 'quiet', 'b', 'c']);
    expect(scheduler.pending('a')).toBe(false);
  });

  it('runs several quick passes in one turn, about a millisecond of them', async () => {
    const items = Array.from({ length: 12 }, (_, i) => `doc${i}`);
    for (const item of items) {
      scheduler.ran(0.05);
      scheduler.schedule(item, timing(THROTTLE, { lastDuration: 0.05 }));
    }
    vi.advanceTimersByTime(MIN_DELAY_MS);
    await turn();
    // More than one, fewer than all: the turn's budget by the scheduler's estimate of a pass,
    // which starts higher than 0.05 ms and follows what it is told.
    expect(runs.length).toBeGreaterThan(1);
    expect(runs.length).toBeLessThan(items.length);
    await wait(0);
    expect(ran()).toEqual(items);
  });
});
