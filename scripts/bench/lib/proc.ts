/** Readings of a process's own CPU time and memory from /proc/<pid> (Linux). */
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
  } catch {
    return 100;
  }
})();

/**
 * User + system CPU seconds the process has used so far; with `mainThread`, only its main thread's
 * (a Node process's event loop, without V8's compiler and collector threads or libuv's pool).
 */
export function cpuSeconds(pid: number, { mainThread = false } = {}): number {
  const stat = readFileSync(mainThread ? `/proc/${pid}/task/${pid}/stat` : `/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may contain spaces: count fields after its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state); utime and stime are fields 14 and 15.
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

export interface Memory {
  /** Resident set size now, bytes. */
  rss: number;
  /** Peak resident set size over the process's life, bytes. */
  hwm: number;
}

export function memory(pid: number): Memory {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string): number => {
    const match = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status);
    return match ? Number(match[1]) * 1024 : 0;
  };
  return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
}

export function loadAverage(): string {
  return readFileSync('/proc/loadavg', 'utf8').trim();
}

/** CPU use of a set of processes (or of their main threads) over a window, as a percentage of one core. */
export class CpuWindow {
  private readonly start: number;
  private readonly startAt = performance.now();

  constructor(
    private readonly pids: number[],
    private readonly options: { mainThread?: boolean } = {},
  ) {
    this.start = this.total();
  }

  private total(): number {
    let sum = 0;
    for (const pid of this.pids) {
      try {
        sum += cpuSeconds(pid, this.options);
      } catch {
        // The process exited; its time is no longer readable.
      }
    }
    return sum;
  }

  percent(): number {
    const seconds = (performance.now() - this.startAt) / 1000;
    return seconds > 0 ? ((this.total() - this.start) / seconds) * 100 : 0;
  }
}

/** Samples VmRSS periodically so a scenario can report the peak within its own window. */
export class RssSampler {
  peak = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly pid: number, intervalMs = 200) {
    this.sample();
    this.timer = setInterval(() => this.sample(), intervalMs);
  }

  private sample(): void {
    try {
      this.peak = Math.max(this.peak, memory(this.pid).rss);
    } catch {
      // Process gone.
    }
  }

  stop(): number {
    clearInterval(this.timer);
    this.sample();
    return this.peak;
  }
}
