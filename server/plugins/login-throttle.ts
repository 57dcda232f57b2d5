/**
 * Slows down password guessing. Failures are counted per e-mail and per client address within a
 * window; past `freeAttempts` failures, each further attempt must wait an exponentially growing
 * delay since the last failure was known (5 s, 10 s, 20 s … capped), and is answered 429 until
 * then, and while attempts counted are still being checked.
 * In memory and per process: a restart forgets, which costs an attacker little and keeps it simple.
 */
export interface ThrottleOptions {
  freeAttempts: number;
  windowMs: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_THROTTLE: ThrottleOptions = {
  freeAttempts: 5,
  windowMs: 15 * 60 * 1000,
  baseDelayMs: 5000,
  maxDelayMs: 15 * 60 * 1000,
};

interface Entry {
  failures: number;
  /** Attempts counted whose password check has not ended. */
  checking: number;
  first: number;
  last: number;
}

const MAX_KEYS = 50_000;

export class LoginThrottle {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly options: ThrottleOptions = DEFAULT_THROTTLE,
    private readonly clock: () => number = Date.now,
  ) {}

  private keys(email: string, ip: string): string[] {
    return [`e:${email.trim().toLowerCase()}`, `i:${ip}`];
  }

  /** Milliseconds the caller must still wait before trying again; 0 when it may try now. */
  retryAfterMs(email: string, ip: string): number {
    const time = this.clock();
    let wait = 0;
    for (const key of this.keys(email, ip)) {
      const entry = this.live(key, time);
      // One address may be a whole office behind NAT: it gets more free attempts than one e-mail.
      const free = key.startsWith('i:') ? this.options.freeAttempts * 4 : this.options.freeAttempts;
      if (!entry || entry.failures < free) continue;
      const delay = Math.min(this.options.maxDelayMs, this.options.baseDelayMs * 2 ** (entry.failures - free));
      // The delay runs from when the last failure was known: a check slower than the delay (a busy
      // server) must not let the attempts waiting behind it through.
      wait = Math.max(wait, entry.checking > 0 ? delay : entry.last + delay - time);
    }
    return Math.max(0, wait);
  }

  /**
   * Counts an attempt before its password is checked. Checking takes a while (scrypt), so counting
   * only the failures afterwards let a hundred attempts sent at once all pass the check above.
   * Its check ends with `failed` or `succeeded`.
   */
  attempt(email: string, ip: string): void {
    const time = this.clock();
    if (this.entries.size > MAX_KEYS) this.prune(time);
    for (const key of this.keys(email, ip)) {
      const entry = this.live(key, time) ?? { failures: 0, checking: 0, first: time, last: time };
      entry.failures++;
      entry.checking++;
      entry.last = time;
      this.entries.set(key, entry);
    }
  }

  /** An attempt's check ended without a login (a wrong password, or an error): the delay runs from now. */
  failed(email: string, ip: string): void {
    const time = this.clock();
    for (const key of this.keys(email, ip)) {
      const entry = this.entries.get(key);
      if (!entry) continue;
      entry.checking = Math.max(0, entry.checking - 1);
      entry.last = time;
    }
  }

  /**
   * A successful login clears the e-mail's count and takes back its own attempt from the
   * address's count (the rest stays: the address may be guessing others' passwords).
   */
  succeeded(email: string, ip: string): void {
    const [emailKey, ipKey] = this.keys(email, ip) as [string, string];
    this.entries.delete(emailKey);
    const entry = this.entries.get(ipKey);
    if (!entry) return;
    entry.checking = Math.max(0, entry.checking - 1);
    if (--entry.failures <= 0) this.entries.delete(ipKey);
  }

  private live(key: string, time: number): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry && time - entry.last > this.options.windowMs) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  private prune(time: number): void {
    for (const [key, entry] of this.entries) if (time - entry.last > this.options.windowMs) this.entries.delete(key);
  }
}
