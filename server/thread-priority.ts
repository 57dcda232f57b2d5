// The event loop's thread relays every keystroke. The process's other threads do work that can
// wait a moment: V8's helpers (the optimising compiler, the collector's concurrent marking and
// sweeping), the WAL checkpointer (server/db/checkpointer.ts), the module loader's thread, and
// libuv's pool if it has started (file reads, password hashing). On a busy machine they want the
// same cores as the event loop, and a keystroke that arrives while the loop waits for a core
// waits with it. So once the server has started, they run at a lower scheduling priority: they
// still get every core nobody else wants, and the event loop goes first when both want one (what
// it gained is measured in scripts/bench/RESULTS.md, "Helper threads behind the event loop").
// Threads started later are made by the event loop's thread and keep its priority.

import { readdirSync } from 'node:fs';
import { setPriority } from 'node:os';

/** The niceness the other threads get (0 is the default, 19 the lowest priority). */
export const HELPER_THREADS_NICE = 10;

/**
 * Lowers the priority of every thread of this process but the event loop's (Linux: each thread
 * is a task of /proc/self/task, and setpriority takes its id). Elsewhere nothing changes.
 * Returns how many threads were lowered.
 */
export function favourEventLoop(): number {
  if (process.platform !== 'linux') return 0;
  let tasks: string[];
  try {
    tasks = readdirSync('/proc/self/task');
  } catch {
    return 0;
  }
  let lowered = 0;
  for (const task of tasks) {
    const id = Number(task);
    if (id === process.pid) continue;
    try {
      setPriority(id, HELPER_THREADS_NICE);
      lowered++;
    } catch {
      // Ended since the listing: nothing to lower.
    }
  }
  return lowered;
}
