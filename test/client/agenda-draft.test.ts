// The meeting form's agenda draft: moving items by step (across blocks at the edges, past the
// open row a block keeps at its end), by drag, and what is sent to the server (ids of kept
// blocks and items, no blank rows), and the next meeting of a series drafted from one of them.
import { describe, expect, test } from 'vitest';
import { bodyOf, draftOf, emptyDraft, emptyItem, isBlankItem, moveBlockBy, moveItemBy, moveItemTo, nextDraft, seriesCadence, type BlockDraft, type ItemDraft } from '../../client/meeting/agenda-draft.js';
import type { Meeting } from '../../shared/api/index.js';

const item = (topic: string, id?: string): ItemDraft => ({ ...emptyItem(), topic, ...(id ? { id } : {}) });
const block = (title: string, ...items: ItemDraft[]): BlockDraft => ({ key: title, title, moderator: '', notetaker: '', items });
const topics = (blocks: BlockDraft[]) => blocks.map((b) => b.items.map((i) => i.topic || '·'));

describe('moving agenda items', () => {
  const day = [block('Morning', item('Welcome'), item('Budget'), emptyItem()), block('Afternoon', item('Roadmap'), emptyItem())];

  test('one step within a block, and across into the next or previous block at the edges', () => {
    expect(topics(moveItemBy(day, { block: 0, item: 0 }, 1))).toEqual([['Budget', 'Welcome', '·'], ['Roadmap', '·']]);
    // Down from the last typed row: past the open row, to the top of the afternoon.
    expect(topics(moveItemBy(day, { block: 0, item: 1 }, 1))).toEqual([['Welcome', '·'], ['Budget', 'Roadmap', '·']]);
    // Up from the top of the afternoon: to the end of the morning's typed rows.
    expect(topics(moveItemBy(day, { block: 1, item: 0 }, -1))).toEqual([['Welcome', 'Budget', 'Roadmap', '·'], ['·']]);
    // Nowhere to go at the day's first and last places.
    expect(topics(moveItemBy(day, { block: 0, item: 0 }, -1))).toEqual(topics(day));
    expect(topics(moveItemBy(day, { block: 1, item: 0 }, 1))).toEqual(topics(day));
  });

  test('dragging to a place, in the same block or another one', () => {
    expect(topics(moveItemTo(day, { block: 1, item: 0 }, { block: 0, item: 0 }))).toEqual([['Roadmap', 'Welcome', 'Budget', '·'], ['·']]);
    expect(topics(moveItemTo(day, { block: 0, item: 0 }, { block: 0, item: 2 }))).toEqual([['Budget', 'Welcome', '·'], ['Roadmap', '·']]);
    expect(topics(moveBlockBy(day, 1, -1))).toEqual([['Roadmap', '·'], ['Welcome', 'Budget', '·']]);
    // The input is never changed in place.
    expect(topics(day)).toEqual([['Welcome', 'Budget', '·'], ['Roadmap', '·']]);
  });

  test('only untouched rows without an id are blank', () => {
    expect(isBlankItem(emptyItem())).toBe(true);
    expect(isBlankItem({ ...emptyItem(), time: '09:00' })).toBe(false);
    expect(isBlankItem({ ...emptyItem(), id: 'kept-item-id' })).toBe(false);
  });
});

describe('what the form sends', () => {
  const meeting = {
    title: 'DMLT',
    series: null,
    startDate: '2031-03-04',
    endDate: '2031-03-05',
    timezone: 'UTC',
    location: null,
    joinUrl: null,
    joinText: 'ID 123',
    attendees: [{ name: 'Robert Lupton', handle: 'RHL', email: null }],
    agenda: [
      {
        date: '2031-03-04',
        blocks: [{ id: 'block-1', title: 'Morning', moderator: 'RHL', notetaker: null, items: [{ id: 'item-1', time: '09:00', minutes: 15, topic: 'Welcome', coordinators: ['RHL'], preNotes: 'Slides' }] }],
      },
    ],
  } as unknown as Meeting;

  test('an edited meeting keeps the ids of its blocks and items, and drops blank rows', () => {
    const draft = draftOf(meeting);
    draft.agenda['2031-03-04']![0]!.items.push(item('New topic'), emptyItem());
    const body = bodyOf(draft);
    expect(body).toMatchObject({ title: 'DMLT', joinText: 'ID 123', attendees: [{ name: 'Robert Lupton', handle: 'RHL', email: null }] });
    expect(body.agenda).toEqual([
      {
        date: '2031-03-04',
        blocks: [
          {
            id: 'block-1',
            title: 'Morning',
            moderator: 'RHL',
            notetaker: null,
            items: [
              { id: 'item-1', time: '09:00', minutes: 15, topic: 'Welcome', coordinators: ['RHL'], preNotes: 'Slides' },
              { time: null, minutes: null, topic: 'New topic', coordinators: [], preNotes: null },
            ],
          },
        ],
      },
    ]);
  });

  test('days outside the dates are not sent; empty days are left out', () => {
    const draft = { ...emptyDraft('UTC'), title: 'x', startDate: '2031-03-04', agenda: { '2031-03-04': [block('', item('Only'))], '2031-03-09': [block('', item('Outside'))] } };
    expect(bodyOf(draft).agenda!.map((d) => d.date)).toEqual(['2031-03-04']);
    expect(bodyOf({ ...draft, agenda: { '2031-03-04': [block('', emptyItem())] } }).agenda).toEqual([]);
  });
});

describe('the next meeting of a series', () => {
  const weekly = {
    id: 'weekly-3',
    title: 'DM weekly 2031-03-04',
    series: 'DM weekly',
    startDate: '2031-03-04',
    endDate: '2031-03-05',
    timezone: 'America/Los_Angeles',
    location: 'Zoom',
    joinUrl: 'https://meet.example.org/j/1',
    joinText: 'ID 123',
    attendees: [{ name: 'Robert Lupton', handle: 'RHL', email: 'rhl@example.org' }],
    agenda: [
      { date: '2031-03-04', blocks: [{ id: 'block-1', title: null, moderator: 'RHL', notetaker: null, items: [{ id: 'item-1', time: '09:00', minutes: 15, topic: 'Welcome', coordinators: ['RHL'], preNotes: 'Past actions' }] }] },
      { date: '2031-03-05', blocks: [{ id: 'block-2', title: 'Day two', moderator: null, notetaker: 'RHL', items: [{ id: 'item-2', time: null, minutes: null, topic: 'Wrap-up', coordinators: [], preNotes: null }] }] },
    ],
  } as unknown as Meeting;

  test('falls as far after this meeting as this one after the one before it; a week after a first one', () => {
    const at = (id: string, startDate: string) => ({ id, startDate });
    expect(seriesCadence(weekly, [at('weekly-1', '2031-02-18'), at('weekly-2', '2031-02-25'), weekly])).toBe(7);
    expect(seriesCadence(weekly, [at('weekly-1', '2031-02-04'), weekly, at('later', '2031-03-11')])).toBe(28);
    expect(seriesCadence(weekly, [weekly])).toBe(7);
    // Two meetings on one day, or years apart, say nothing of a cadence.
    expect(seriesCadence(weekly, [at('same-day', '2031-03-04'), weekly])).toBe(7);
    expect(seriesCadence(weekly, [at('long-ago', '2020-01-07'), weekly])).toBe(7);
  });

  test('keeps the details, attendees and agenda, moves every date on, and keeps no id', () => {
    const draft = nextDraft(weekly, 7, '2031-03-01');
    expect(draft).toMatchObject({ title: 'DM weekly 2031-03-11', series: 'DM weekly', startDate: '2031-03-11', endDate: '2031-03-12', timezone: 'America/Los_Angeles', location: 'Zoom', joinUrl: 'https://meet.example.org/j/1', joinText: 'ID 123' });
    expect(draft.attendeesText).toBe('Robert Lupton (RHL) <rhl@example.org>');
    const body = bodyOf(draft);
    expect(body.agenda).toEqual([
      { date: '2031-03-11', blocks: [{ title: null, moderator: 'RHL', notetaker: null, items: [{ time: '09:00', minutes: 15, topic: 'Welcome', coordinators: ['RHL'], preNotes: 'Past actions' }] }] },
      { date: '2031-03-12', blocks: [{ title: 'Day two', moderator: null, notetaker: 'RHL', items: [{ time: null, minutes: null, topic: 'Wrap-up', coordinators: [], preNotes: null }] }] },
    ]);
  });

  test('leaves out the items scheduled from proposals, one-off topics; their block stays', () => {
    const body = bodyOf(nextDraft(weekly, 7, '2031-03-01', new Set(['item-2'])));
    expect(body.agenda!.map((day) => day.blocks.map((block) => [block.title, block.items.map((item) => item.topic)]))).toEqual([[[null, ['Welcome']]], [['Day two', []]]]);
    expect(bodyOf(nextDraft(weekly, 7, '2031-03-01', new Set(['item-1']))).agenda!.flatMap((day) => day.blocks.flatMap((block) => block.items.map((item) => item.topic)))).toEqual(['Wrap-up']);
  });

  test('is never in the past: a series that paused goes on from today, in its own rhythm', () => {
    expect(nextDraft(weekly, 7, '2031-03-30').startDate).toBe('2031-04-01');
    expect(nextDraft(weekly, 7, '2031-04-01').startDate).toBe('2031-04-01');
    expect(nextDraft(weekly, 28, '2031-03-05').startDate).toBe('2031-04-01');
    // A title without the date keeps its words.
    expect(nextDraft({ ...weekly, title: 'DM weekly' }, 7, '2031-03-01').title).toBe('DM weekly');
  });
});
