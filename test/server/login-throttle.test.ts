// The login throttle (server/plugins/login-throttle.ts) on a clock of the test's own: attempts are
// counted before their password is checked, and the delay after the free ones runs from when the
// last failure was known, so a check slower than the delay lets nobody through behind it.
import { describe, expect, test } from 'vitest';
import { DEFAULT_THROTTLE, LoginThrottle } from '../../server/plugins/login-throttle.js';

const EMAIL = 'ann@example.org';
const IP = '192.0.2.1';

function throttle(): { throttle: LoginThrottle; advance: (ms: number) => void } {
  let now = 1_000_000;
  return { throttle: new LoginThrottle(DEFAULT_THROTTLE, () => now), advance: (ms) => (now += ms) };
}

describe('login throttle', () => {
  test('five attempts still being checked hold the next one back however long their checks take', () => {
    const { throttle: t, advance } = throttle();
    for (let i = 0; i < 5; i++) {
      expect(t.retryAfterMs(EMAIL, IP)).toBe(0);
      t.attempt(EMAIL, IP);
    }
    // A busy server: the five checks take a minute, twelve times the first delay.
    advance(60_000);
    expect(t.retryAfterMs(EMAIL, IP)).toBe(DEFAULT_THROTTLE.baseDelayMs);
    for (let i = 0; i < 5; i++) t.failed(EMAIL, IP);
    // The delay runs from the last failure known.
    expect(t.retryAfterMs(EMAIL, IP)).toBe(DEFAULT_THROTTLE.baseDelayMs);
    advance(DEFAULT_THROTTLE.baseDelayMs);
    expect(t.retryAfterMs(EMAIL, IP)).toBe(0);
    // The sixth failure doubles it.
    t.attempt(EMAIL, IP);
    t.failed(EMAIL, IP);
    expect(t.retryAfterMs(EMAIL, IP)).toBe(2 * DEFAULT_THROTTLE.baseDelayMs);
  });

  test('a login takes its attempt back, and clears the e-mail’s count', () => {
    const { throttle: t } = throttle();
    for (let i = 0; i < 4; i++) {
      t.attempt(EMAIL, IP);
      t.failed(EMAIL, IP);
    }
    t.attempt(EMAIL, IP);
    t.succeeded(EMAIL, IP);
    for (let i = 0; i < 5; i++) {
      expect(t.retryAfterMs(EMAIL, IP)).toBe(0);
      t.attempt(EMAIL, IP);
      t.failed(EMAIL, IP);
    }
    expect(t.retryAfterMs(EMAIL, IP)).toBeGreaterThan(0);
  });
});
