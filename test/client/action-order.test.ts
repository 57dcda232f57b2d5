// The Actions panel's order on a meeting of several days, whose lines are counted per day.
import { expect, test } from 'vitest';
import type { ActionRecord } from '../../shared/api/index';
import { orderActions } from '../../client/panels/action-order';

const dates = { tue: '2020-11-17', wed: '2020-11-18', thu: '2020-11-19' };

function action(description: string, sessionId: keyof typeof dates, position: number, done = false): ActionRecord {
  return { id: description, description, sessionId, position, done } as ActionRecord;
}

// As the API lists them for the three-day meeting: by day, then line. The later days' lines
// interleave by position, and one of Thursday's is done.
const actions = [
  action('circulate the revised schedule', 'tue', 3),
  action('sent the burn-rate spreadsheet', 'tue', 9, true),
  action('update the milestone chart', 'tue', 8),
  action('report the AP latency numbers', 'wed', 6),
  action('port the ingest scripts', 'wed', 14),
  action('write the roadmap', 'thu', 2),
  action('booked the next face-to-face', 'thu', 5, true),
  action('review the migration plan', 'thu', 11),
];

test("puts the day on screen first, then the other days in date order, each day's open actions before its done ones, in line order", () => {
  const order = (sessionId: keyof typeof dates) => orderActions([...actions].reverse(), sessionId, dates).map((a) => a.description);
  expect(order('wed')).toEqual([
    'report the AP latency numbers',
    'port the ingest scripts',
    'circulate the revised schedule',
    'update the milestone chart',
    'sent the burn-rate spreadsheet',
    'write the roadmap',
    'review the migration plan',
    'booked the next face-to-face',
  ]);
  expect(order('thu').slice(0, 3)).toEqual(['write the roadmap', 'review the migration plan', 'booked the next face-to-face']);
});
