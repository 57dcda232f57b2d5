import type { Connection } from './connection.js';

/**
 * One change that must reach every connection of a room: a document update, changed presence, or
 * a message of the server's own (the notes layer's action lists), which has no author among the
 * connections and reaches every one of them.
 */
export interface Change {
  update?: Uint8Array;
  /** Client ids whose presence changed; their current states are sent. */
  awareness?: number[];
  /** A message to send as it is. */
  message?: Uint8Array;
  origin: unknown;
  /** When it arrived (`performance.now()`), for the relay latency a connection sees. */
  at?: number;
}

/** How a run of changes goes on the wire: one update frame and one presence frame at most, then its messages. */
export type Encode = (changes: readonly Change[]) => Uint8Array[];

/** A run of changes ready to send, encoded on first use, and the one connection that made all its updates and presence. */
interface Run {
  frames: Uint8Array[] | null;
  sole: unknown;
  /** Whether it holds messages: its sole author is sent those. */
  messages: boolean;
  /** The run's messages alone, encoded on first use. */
  messageFrames: Uint8Array[] | null;
  /** When the run's oldest update arrived (presence and messages are not timed). */
  oldest: number | undefined;
}

const NO_ORIGIN = Symbol('quorum:no-origin');

/**
 * Sends a room's changes to its connections in rounds, a connection at a time, and can stop at
 * any connection and go on later (the caller passes a deadline and yields to the event loop).
 *
 * Each connection is sent, in one go, everything that changed since it was last sent anything,
 * merged into one update (encoded once for every connection that lacks the same run). So a
 * change that arrives while a round is under way reaches the connections not yet visited in the
 * round already under way, and the others in the next; no connection waits longer than about
 * one round, and nobody's edit waits for a whole broadcast of someone else's to finish. In a big
 * meeting a round is a socket write per participant, milliseconds in all; in a small one it ends
 * at once, in the tick the change arrived in.
 *
 * Changes are kept until every connection has been sent them: at the start of a round, every
 * connection has what the previous round began with, and after a round in which nothing new
 * arrived, everyone has everything.
 */
export class Relay {
  private changes: Change[] = [];
  /** Sequence number of changes[0]. */
  private base = 0;
  /** The sequence number each connection needs next. */
  private readonly next = new WeakMap<Connection, number>();
  private round: Connection[] = [];
  private at = 0;
  /** The head when the latest round began. */
  private roundFrom = 0;
  /** Runs from a sequence number to `runsTo`, the head they were prepared for. */
  private readonly runs = new Map<number, Run>();
  private runsTo = 0;

  constructor(
    private readonly connections: ReadonlySet<Connection>,
    private readonly encode: Encode,
    /** Told after a connection was sent a run: how long ago its oldest change arrived. */
    private readonly delivered?: (seconds: number) => void,
  ) {}

  private get head(): number {
    return this.base + this.changes.length;
  }

  /** Whether anything is left to send. */
  get pending(): boolean {
    return this.at < this.round.length || this.head > this.roundFrom;
  }

  add(change: Change): void {
    this.changes.push(change);
  }

  /** This connection was just sent the whole state: it lacks none of the changes so far. */
  joined(connection: Connection): void {
    this.next.set(connection, this.head);
  }

  /**
   * Sends until everyone has everything, or until `deadline` (a `performance.now()` time) has
   * passed; returns whether anything is left.
   */
  send(deadline = Infinity): boolean {
    for (;;) {
      if (this.at >= this.round.length) {
        if (this.head === this.roundFrom) {
          this.finish();
          return false;
        }
        this.beginRound();
      }
      while (this.at < this.round.length) {
        this.sendTo(this.round[this.at++]!);
        if (performance.now() >= deadline) return this.pending;
      }
    }
  }

  private beginRound(): void {
    // Everyone has been sent at least what the previous round began with.
    this.changes = this.changes.slice(this.roundFrom - this.base);
    this.base = this.roundFrom;
    this.roundFrom = this.head;
    this.round = [...this.connections];
    this.at = 0;
  }

  /** Everyone has everything: nothing need be kept. */
  private finish(): void {
    this.round = [];
    this.at = 0;
    this.base = this.head;
    this.changes = [];
    this.runs.clear();
  }

  private sendTo(connection: Connection): void {
    const from = this.next.get(connection) ?? this.head;
    const to = this.head;
    if (from >= to || connection.isClosed) return;
    this.next.set(connection, to);
    const run = this.run(from, to);
    // The one connection that made every update and presence change of the run already has
    // them: it is sent the run's messages, if any, and nothing else.
    if (run.sole === connection) {
      if (!run.messages) return;
      run.messageFrames ??= this.encode(this.changes.slice(from - this.base, to - this.base).filter((change) => change.message));
      connection.sendAll(run.messageFrames);
      return;
    }
    run.frames ??= this.encode(this.changes.slice(from - this.base, to - this.base));
    connection.sendAll(run.frames);
    if (this.delivered && run.oldest !== undefined) this.delivered((performance.now() - run.oldest) / 1000);
  }

  private run(from: number, to: number): Run {
    if (to !== this.runsTo) {
      this.runs.clear();
      this.runsTo = to;
    }
    let run = this.runs.get(from);
    if (!run) {
      let sole: unknown = NO_ORIGIN;
      let messages = false;
      let oldest: number | undefined;
      for (let seq = from; seq < to; seq++) {
        const change = this.changes[seq - this.base]!;
        oldest ??= change.at;
        if (change.message) {
          messages = true;
          continue;
        }
        sole = sole === NO_ORIGIN || sole === change.origin ? change.origin : null;
      }
      run = { frames: null, sole, messages, messageFrames: null, oldest };
      this.runs.set(from, run);
    }
    return run;
  }
}
