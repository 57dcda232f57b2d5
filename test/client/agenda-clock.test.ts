// The agenda's clock (client/meeting/agenda-clock.ts): the item on now, read in the meeting's own
// time zone (client/dates.ts, tested in dates.test.ts), with the minutes its slot has left.
import { describe, expect, test } from 'vitest';
import { dayStarts, daySlots, instantOf, nowOn, readerStart, readerStarts } from '../../client/meeting/agenda-clock.js';
import type { AgendaDay, AgendaItem } from '../../shared/api/index.js';

const item = (id: string, time: string | null, minutes: number | null = null): AgendaItem => ({ id, time, minutes, topic: id, coordinators: [], preNotes: null });
const day = (...blocks: AgendaItem[][]): AgendaDay => ({ date: '2020-11-17', blocks: blocks.map((items, i) => ({ id: `b${i}`, title: null, moderator: null, notetaker: null, items })) });

describe('slots', () => {
  test('an item runs for its minutes, or until the next timed item; one with neither has no slot', () => {
    const slots = daySlots(day([item('welcome', '09:00', 15), item('news', '09:15'), item('untimed', null)], [item('plan', '09:45', 45), item('last', '11:00')]));
    expect(slots).toEqual([
      { itemId: 'welcome', start: 540, end: 555 },
      { itemId: 'news', start: 555, end: 585 },
      { itemId: 'plan', start: 585, end: 630 },
    ]);
  });

  test('a time typed as 9:05 counts; text that is not a time does not', () => {
    expect(daySlots(day([item('a', '9:05', 10), item('b', 'after lunch', 10)]))).toEqual([{ itemId: 'a', start: 545, end: 555 }]);
  });
});

describe('the item on now', () => {
  const slots = daySlots(day([item('welcome', '09:00', 15), item('news', '09:15', 30), item('plan', '09:45', 45)]));

  test('is the one whose slot holds the moment, with the minutes left rounded up', () => {
    expect(nowOn(slots, '2020-11-17', { date: '2020-11-17', minutes: 560 })).toEqual({ itemId: 'news', minutesLeft: 25 });
    expect(nowOn(slots, '2020-11-17', { date: '2020-11-17', minutes: 584.7 })).toEqual({ itemId: 'news', minutesLeft: 1 });
    // A slot starts on its minute and ends as the next one starts.
    expect(nowOn(slots, '2020-11-17', { date: '2020-11-17', minutes: 585 })).toEqual({ itemId: 'plan', minutesLeft: 45 });
  });

  test('is none before the first slot, after the last, between slots, or on another day', () => {
    expect(nowOn(slots, '2020-11-17', { date: '2020-11-17', minutes: 539 })).toBeNull();
    expect(nowOn(slots, '2020-11-17', { date: '2020-11-17', minutes: 630 })).toBeNull();
    expect(nowOn(slots, '2020-11-17', { date: '2020-11-18', minutes: 560 })).toBeNull();
    expect(nowOn(daySlots(day([item('a', '09:00', 10), item('b', '10:00', 10)])), '2020-11-17', { date: '2020-11-17', minutes: 580 })).toBeNull();
  });

  test('where slots overlap, the one started last is on', () => {
    const overrun = daySlots(day([item('long', '09:00', 90), item('parallel', '09:30', 15)]));
    expect(nowOn(overrun, '2020-11-17', { date: '2020-11-17', minutes: 575 })).toEqual({ itemId: 'parallel', minutesLeft: 10 });
    expect(nowOn(overrun, '2020-11-17', { date: '2020-11-17', minutes: 600 })).toEqual({ itemId: 'long', minutesLeft: 30 });
  });
});

describe("an item's time on the reader's clock", () => {
  test("is the moment the meeting's clock reads it, across changes of offset", () => {
    // Los Angeles is UTC-8 in November, UTC-7 in July.
    expect(instantOf('2020-11-17', 540, 'America/Los_Angeles').toISOString()).toBe('2020-11-17T17:00:00.000Z');
    expect(instantOf('2020-07-14', 540, 'America/Los_Angeles').toISOString()).toBe('2020-07-14T16:00:00.000Z');
    // The day clocks change (8 March 2020 in Los Angeles): 09:00 is already summer time.
    expect(instantOf('2020-03-08', 540, 'America/Los_Angeles').toISOString()).toBe('2020-03-08T16:00:00.000Z');
    expect(instantOf('2020-11-17', 540, 'Asia/Kolkata').toISOString()).toBe('2020-11-17T03:30:00.000Z');
  });

  test('is said where it differs: another zone, another day; not for a reader where the meeting is', () => {
    expect(readerStart('2020-11-17', 540, 'America/Los_Angeles', 'America/Los_Angeles')).toBeNull();
    // Tucson keeps no summer time: the same clock as Los Angeles in summer, an hour on in winter.
    expect(readerStart('2020-07-14', 540, 'America/Los_Angeles', 'America/Phoenix')).toBeNull();
    expect(readerStart('2020-11-17', 540, 'America/Los_Angeles', 'America/Phoenix')).toEqual({ at: new Date('2020-11-17T17:00:00Z'), otherDay: false });
    // 17:00 in Los Angeles is 02:00 the next day in Paris.
    expect(readerStart('2020-11-17', 17 * 60, 'America/Los_Angeles', 'Europe/Paris')).toEqual({ at: new Date('2020-11-18T01:00:00Z'), otherDay: true });
  });

  test('labels every timed item of a day for a reader elsewhere, none for a meeting without a zone', () => {
    const tuesday = day([item('welcome', '09:00', 15), item('untimed', null)], [item('late', '17:00')]);
    const schedule = { date: '2020-11-17', timeZone: 'America/Los_Angeles', slots: daySlots(tuesday), starts: dayStarts(tuesday) };
    const labels = readerStarts(schedule, 'Europe/Paris');
    expect([...labels.keys()]).toEqual(['welcome', 'late']);
    expect(labels.get('welcome')).toMatch(/^6:00\s?PM$|^18:00$/);
    expect(labels.get('late')).toMatch(/^Wed (2:00\s?AM|02:00)$/);
    expect(readerStarts({ ...schedule, timeZone: null }, 'Europe/Paris').size).toBe(0);
    expect(readerStarts(schedule, 'America/Los_Angeles').size).toBe(0);
  });
});
