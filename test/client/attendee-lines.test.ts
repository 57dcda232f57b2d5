import { describe, expect, test } from 'vitest';
import { parseAttendeeLines } from '../../client/meeting/attendee-lines.js';

describe('attendees pasted one a line', () => {
  test.each([
    ['Robert Lupton (RHL)', [{ name: 'Robert Lupton', handle: 'RHL', email: null }]],
    ["Wil O'Mullane (WOM)", [{ name: "Wil O'Mullane", handle: 'WOM', email: null }]],
    ['Gregory Dubois-Felsmann (GPDF)', [{ name: 'Gregory Dubois-Felsmann', handle: 'GPDF', email: null }]],
    ['Leanne Guy', [{ name: 'Leanne Guy', handle: null, email: null }]],
    ['Tim Jenness (TJ) <tj@example.org>', [{ name: 'Tim Jenness', handle: 'TJ', email: 'tj@example.org' }]],
    ['  * Colin Slater (CS)  ', [{ name: 'Colin Slater', handle: 'CS', email: null }]],
    ['- Eric Bellm (EB),', [{ name: 'Eric Bellm', handle: 'EB', email: null }]],
  ])('%s', (line, expected) => {
    expect(parseAttendeeLines(line)).toEqual(expected);
  });

  test('blank lines are skipped and order is kept', () => {
    const parsed = parseAttendeeLines('Robert Lupton (RHL)\n\n\r\nKian-Tat Lim (KTL)\n');
    expect(parsed.map((a) => a.handle)).toEqual(['RHL', 'KTL']);
  });
});
