// Dates on the pages (client/dates.ts): clocks read in a time zone, and calendar dates written
// with the parts a page asks for. Written in the machine's language, so the tests look at which
// parts are there, not at the words.
import { describe, expect, test } from 'vitest';
import { formatDateRange, formatDue, wallClock } from '../../client/dates.js';

describe('the wall clock', () => {
  test('is read in the meeting’s time zone, across daylight saving', () => {
    // 17:20 UTC is 09:20 in Los Angeles in November (PST) and 10:20 in June (PDT).
    expect(wallClock(new Date('2020-11-17T17:20:00Z'), 'America/Los_Angeles')).toEqual({ date: '2020-11-17', minutes: 560 });
    expect(wallClock(new Date('2021-06-01T17:20:30Z'), 'America/Los_Angeles')).toEqual({ date: '2021-06-01', minutes: 620.5 });
    // Past midnight in UTC is still the evening before in Chile.
    expect(wallClock(new Date('2020-11-18T01:30:00Z'), 'America/Santiago')).toEqual({ date: '2020-11-17', minutes: 22 * 60 + 30 });
    expect(wallClock(new Date('2020-11-17T00:00:00Z'), 'UTC')).toEqual({ date: '2020-11-17', minutes: 0 });
  });
});

describe('calendar dates', () => {
  test('a range names its year once, or both years when it spans two', () => {
    const within = formatDateRange('2020-11-17', '2020-11-19');
    expect(within.match(/2020/g)).toHaveLength(1);
    expect(within).toContain('17');
    expect(within).toContain('19');
    expect(formatDateRange('2020-12-30', '2021-01-02')).toMatch(/2020.*2021/);
    expect(formatDateRange('2020-11-17', null).match(/2020/g)).toHaveLength(1);
    expect(formatDateRange('2020-11-17', '2020-11-17')).toBe(formatDateRange('2020-11-17', null));
  });

  test('a due date has its year only when it is not the session’s', () => {
    expect(formatDue('2020-12-07', '2020-11-17')).not.toContain('2020');
    expect(formatDue('2021-01-15', '2020-11-17')).toContain('2021');
    expect(formatDue('2021-01-15')).toContain('2021');
  });

  test('is the same day wherever the reader is', () => {
    // Midnight UTC read in a zone behind it would be the evening before.
    const zone = process.env.TZ;
    process.env.TZ = 'America/Los_Angeles';
    try {
      expect(formatDue('2020-12-01', '2020-01-01')).not.toContain('30');
      expect(formatDue('2020-12-01', '2020-01-01')).toContain('1');
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
  });
});
