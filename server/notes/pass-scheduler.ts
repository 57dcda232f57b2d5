// When each session document's extraction pass runs (service.ts runs the passes themselves).
//
// Throttle, not debounce: a pass starts at most `throttleMs` after the previous one started, so
// the table is never more than about that behind the notes however fast people type. A document
// whose pass takes longer than half that interval is read at most every two pass-lengths, and one
// whose passes fail waits longer after each failure.
//
// Meetings being typed in pass together. When one document's pass falls due, those of the others
// due within the next half interval fall due with it, early: their changes are read a little
// sooner, and their next passes fall due together with this one's. After one cycle the busy
// meetings pass one after the other, four times a second, instead of at eighty scattered moments
// among the relay's work; back to back, a pass finds its code and data still in the processor's
// caches, and in the fan-out benchmark (20 meetings typed in) each cost ~30 % less time so.
//
// Passes that fall due together run a few per turn of the event loop (about TURN_BUDGET_MS of
// them, by how long passes have been taking), so the relay and the sockets get a turn between
// any two groups of them. A pass due by its own time goes ahead of those taken along early,
// which can wait: a quiet meeting's first change is not read after twenty busy meetings' passes.

/** What the schedule of a document's next pass depends on. */
export interface PassTiming {
  /** When its last pass started (`Date.now()`). */
  lastStart: number;
  /** How long its last pass took (ms). */
  lastDuration: number;
  /** Passes that failed in a row. */
  failures: number;
  /** Whether it was read since it loaded: the first read waits a whole interval, never less. */
  read: boolean;
}

/** A little coalescing even after a quiet period: a burst of keystrokes makes one pass. */
export const MIN_DELAY_MS = 20;
const MAX_BACKOFF_MS = 30_000;
/** About how long the passes run in one turn of the event loop may take, all told (ms). */
export const TURN_BUDGET_MS = 1;

interface Waiting {
  timer: NodeJS.Timeout;
  /** When the timer fires (`Date.now()` time). */
  dueAt: number;
  /** Waiting out only the throttle, which another document's pass may cut short. */
  early: boolean;
}

export class PassScheduler<T> {
  private readonly waiting = new Map<T, Waiting>();
  /** Documents whose pass is due: those due by their own time first, then those taken along early. */
  private readonly due: T[] = [];
  /** How many of `due`, from its start, are due by their own time. */
  private onTime = 0;
  private readonly queued = new Set<T>();
  /** How long a pass has been taking (ms), a moving average of what `ran` is told. */
  private passMs = 1;

  constructor(
    private readonly throttleMs: number,
    /** Starts a document's pass (its completion is the caller's business). */
    private readonly run: (item: T) => void,
  ) {}

  /** Whether a pass of this document is waiting for its time or due. */
  pending(item: T): boolean {
    return this.waiting.has(item) || this.queued.has(item);
  }

  /** Schedules the document's next pass, unless one is pending already. */
  schedule(item: T, timing: PassTiming): void {
    if (this.pending(item)) return;
    const backoff = timing.failures > 0 ? Math.min(MAX_BACKOFF_MS, this.throttleMs * 2 ** timing.failures) : 0;
    const interval = Math.max(this.throttleMs, 2 * timing.lastDuration);
    const now = Date.now();
    const delay = Math.max(MIN_DELAY_MS, interval - (now - timing.lastStart), backoff);
    const timer = setTimeout(() => {
      this.waiting.delete(item);
      this.fallDue(item);
    }, delay);
    timer.unref();
    this.waiting.set(item, { timer, dueAt: now + delay, early: backoff === 0 && interval === this.throttleMs && timing.read });
  }

  /** A pass took `ms` (its read and its write): how many run in one turn follows. */
  ran(ms: number): void {
    this.passMs += (ms - this.passMs) / 8;
  }

  /** Forgets the document's pending pass, if any. */
  cancel(item: T): void {
    const waiting = this.waiting.get(item);
    if (waiting) {
      clearTimeout(waiting.timer);
      this.waiting.delete(item);
    }
    if (!this.queued.delete(item)) return;
    const at = this.due.indexOf(item);
    this.due.splice(at, 1);
    if (at < this.onTime) this.onTime--;
  }

  /** Forgets every pending pass. */
  close(): void {
    for (const { timer } of this.waiting.values()) clearTimeout(timer);
    this.waiting.clear();
    this.queued.clear();
    this.due.length = 0;
    this.onTime = 0;
  }

  private fallDue(item: T): void {
    this.enqueue(item, true);
    const horizon = Date.now() + this.throttleMs / 2;
    const early = [...this.waiting].filter(([, w]) => w.early && w.dueAt <= horizon).sort(([, a], [, b]) => a.dueAt - b.dueAt);
    for (const [other, { timer }] of early) {
      clearTimeout(timer);
      this.waiting.delete(other);
      this.enqueue(other, false);
    }
  }

  private enqueue(item: T, onTime: boolean): void {
    if (this.queued.has(item)) return;
    this.queued.add(item);
    if (onTime) this.due.splice(this.onTime++, 0, item);
    else this.due.push(item);
    if (this.due.length === 1) setImmediate(this.drain);
  }

  private readonly drain = (): void => {
    const count = Math.max(1, Math.floor(TURN_BUDGET_MS / this.passMs));
    const items = this.due.splice(0, count);
    this.onTime = Math.max(0, this.onTime - items.length);
    for (const item of items) this.queued.delete(item);
    if (this.due.length > 0) setImmediate(this.drain);
    for (const item of items) this.run(item);
  };
}
