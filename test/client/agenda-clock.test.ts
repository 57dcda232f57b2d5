// The agenda's clock (client/meeting/agenda-clock.ts): the item on now, read in the meeting's own
// time zone (client/dates.ts, tested in dates.test.ts), with the minutes its slot has left.
import { describe, expect, test } from 'vitest';
import { daySlots, nowOn } from '../../client/meeting/agenda-clock.js';
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
