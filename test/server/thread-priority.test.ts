// The started server (`npm start`'s server/main.ts, a real process) runs its event loop's thread
// ahead of its other threads: those present when it starts listening (V8's compiler and
// collector helpers, the WAL checkpointer, the module loader's) at a lower scheduling priority.

import { afterAll, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { startChildServer, type ChildServer } from '../helpers/child.js';
import { tempDataDir } from '../helpers/server.js';
import { HELPER_THREADS_NICE } from '../../server/thread-priority.js';

/** Each thread's niceness (field 19 of /proc/<pid>/task/<tid>/stat), by thread id. */
function niceness(pid: number): Map<number, number> {
  const threads = new Map<number, number>();
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${task}/stat`, 'utf8');
      // The command name (field 2) may hold spaces: count from after its closing parenthesis.
      threads.set(Number(task), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]));
    } catch {
      // Ended since the listing.
    }
  }
  return threads;
}

describe('thread priority', () => {
  const dataDir = tempDataDir();
  let child: ChildServer | null = null;
  afterAll(async () => {
    child?.proc.kill('SIGTERM');
    await child?.exited;
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('puts the event loop ahead of the helper threads once the server listens', async () => {
    child = await startChildServer(dataDir);
    const pid = child.proc.pid!;
    const threads = niceness(pid);
    expect(threads.get(pid), 'the event loop keeps its priority').toBe(0);
    const helpers = [...threads].filter(([tid]) => tid !== pid);
    // At least V8's helper threads and the checkpointer; later ones (libuv's pool) may keep 0.
    const lowered = helpers.filter(([, nice]) => nice === HELPER_THREADS_NICE).length;
    expect(lowered).toBeGreaterThanOrEqual(4);
    // The start-up log says how many it lowered (some may have ended since, none been lowered later).
    const listening = child.logs
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { msg?: string; helperThreads?: number })
      .find((entry) => entry.msg === 'quorum listening');
    expect(listening?.helperThreads).toBeGreaterThanOrEqual(lowered);
    // And the server still serves.
    expect((await fetch(`${child.url}/readyz`)).status).toBe(200);
  });
});
