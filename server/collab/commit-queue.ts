import type { Connection } from './connection.js';

/**
 * What waits for a commit to the database, in arrival order: a client's update (stored first,
 * applied once stored) or a change the server made in memory (stored, then relayed).
 */
export type PendingCommit =
  | { kind: 'client'; update: Uint8Array; payload: Uint8Array; connection: Connection }
  | { kind: 'server'; update: Uint8Array; origin: unknown };

export interface CommitTarget {
  /** Stores these updates in one transaction; rejects when it cannot. */
  commit(updates: Uint8Array[]): Promise<void>;
  /** Writes the whole document in place of the log (compaction), with nothing in flight. */
  compact(): Promise<void>;
  /** These were stored: apply the clients' updates, relay the server's. */
  committed(batch: PendingCommit[]): void;
  /** A client's updates could not be stored (they were not applied); its connection is told. */
  refused(connection: Connection, error: Error): void;
  /** The server's own changes could not be stored: they wait, relayed to nobody, for `resume()`. */
  heldBack(error: Error): void;
}

/**
 * The room's writes to an asynchronous store, one commit in flight at a time. Whatever arrives
 * while a commit is in flight goes in the next one, in one transaction: with a database one
 * network round trip away, a meeting of typists costs one commit per round trip, not one per
 * keystroke. Order is kept: a client's update is applied, and anything relayed, only after
 * everything before it was committed. A compaction waits its turn in the same line, so that it
 * never deletes a row whose update the document it writes does not yet hold.
 */
export class CommitQueue {
  private readonly queue: Array<PendingCommit | 'compact'> = [];
  private running: Promise<void> | null = null;
  /** The server's changes failed to commit: nothing moves until resume(). */
  private held = false;
  private stopped = false;
  private compacting = false;

  constructor(private readonly target: CommitTarget) {}

  add(item: PendingCommit): void {
    this.queue.push(item);
    this.run();
  }

  /** Compacts once everything queued so far is committed (one compaction queued or running at most). */
  compactSoon(): void {
    if (this.compacting || this.queue.includes('compact')) return;
    this.queue.push('compact');
    this.run();
  }

  get isHeld(): boolean {
    return this.held;
  }

  /** Tries the held-back changes again; resolves to whether the queue is moving. */
  async resume(): Promise<boolean> {
    this.held = false;
    this.run();
    await this.settled();
    return !this.held;
  }

  /** Resolves when nothing is queued or in flight (or the queue is held or stopped). */
  async settled(): Promise<void> {
    while (this.running) await this.running;
  }

  get idle(): boolean {
    return this.queue.length === 0 && !this.running;
  }

  /** Drops what is queued: the document is being discarded. */
  stop(): void {
    this.stopped = true;
    this.queue.length = 0;
  }

  private run(): void {
    if (this.running || this.held || this.stopped || this.queue.length === 0) return;
    this.running = this.drain().finally(() => {
      this.running = null;
      this.run();
    });
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0 && !this.held && !this.stopped) {
      if (this.queue[0] === 'compact') {
        this.queue.shift();
        this.compacting = true;
        try {
          // A failed compaction loses nothing (the log stays); the next threshold tries again.
          await this.target.compact().catch(() => {});
        } finally {
          this.compacting = false;
        }
        continue;
      }
      const end = this.queue.indexOf('compact');
      const batch = this.queue.slice(0, end === -1 ? this.queue.length : end) as PendingCommit[];
      try {
        await this.target.commit(batch.map((item) => item.update));
      } catch (error) {
        if (this.stopped) return;
        this.fail(batch, error as Error);
        continue;
      }
      if (this.stopped) return;
      this.queue.splice(0, batch.length);
      // Stored whatever happens next: a throw here must not stop the queue (nor reject `running`).
      try {
        this.target.committed(batch);
      } catch {
        // The target reports its own failures; what was committed is loaded from the log next time.
      }
    }
  }

  /**
   * Clients' updates are refused, with whatever else those clients sent since (they keep all of
   * it and send it again when they reconnect); the server's changes wait.
   */
  private fail(batch: PendingCommit[], error: Error): void {
    const refused = new Set<Connection>();
    for (const item of batch) if (item.kind === 'client') refused.add(item.connection);
    for (let i = this.queue.length - 1; i >= 0; i--) {
      const item = this.queue[i]!;
      if (item !== 'compact' && item.kind === 'client' && refused.has(item.connection)) this.queue.splice(i, 1);
    }
    for (const connection of refused) this.target.refused(connection, error);
    if (batch.some((item) => item.kind === 'server')) {
      this.held = true;
      this.target.heldBack(error);
    }
  }
}
