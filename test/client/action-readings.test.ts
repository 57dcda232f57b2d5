// The highlighting keeps each block's parse between frames (client/editor/action-readings.ts): a
// block is parsed again only when what the grammar reads of it changed, and a block that left the
// notes is forgotten. Each test's blocks stand for one top-level node read frame after frame.
import { describe, expect, it } from 'vitest';
import { ActionReadings, type ActionReading } from '../../client/editor/action-readings';
import { parseActionBlock, type ActionBlockInput, type Attendee } from '../../shared/actions/index';

const ATTENDEES: Attendee[] = [
  { id: '1', name: 'Kian-Tat Lim', handle: 'KTL' },
  { id: '2', name: 'Leanne Guy', handle: 'LG' },
];
const SESSION = '2026-11-17';

/** Readings over the real grammar, counting the parses, and the last frame's readings. */
function counted(): { readings: ActionReadings; parsed: string[]; last: ActionReading[] } {
  const parsed: string[] = [];
  const readings = new ActionReadings((block) => {
    parsed.push(block.text);
    return parseActionBlock(block, ATTENDEES, SESSION);
  });
  return { readings, parsed, last: [] };
}

/** One frame: the node's blocks read again, given the last frame's readings. */
function render(state: { readings: ActionReadings; last: ActionReading[] }, blocks: Array<[string, ActionBlockInput]>) {
  state.last = state.readings.read(blocks, state.last);
  return state.last.map((reading) => reading.action);
}

describe('the highlighting parses a block again only when it changed', () => {
  it('parses every block once, then only the one being typed in, with the grammar’s own answers', () => {
    const state = counted();
    const { parsed } = state;
    const notes: Array<[string, ActionBlockInput]> = [
      ['1', { text: 'Budget review', mentions: [] }],
      ['2', { text: 'ACTION: KTL send the plan by Friday', mentions: [] }],
      ['3', { text: 'We agreed to revisit burn rates', mentions: [] }],
    ];
    const first = render(state, notes);
    expect(parsed).toHaveLength(3);
    expect(first).toEqual(notes.map(([, block]) => parseActionBlock(block, ATTENDEES, SESSION)));

    parsed.length = 0;
    notes[1] = ['2', { text: 'ACTION: KTL send the plan by Friday, with LG', mentions: [] }];
    const second = render(state, notes);
    expect(parsed).toEqual(['ACTION: KTL send the plan by Friday, with LG']);
    expect(second[1]?.due).toBe('2026-11-20');
    // The others are the very readings of the last frame.
    expect(second[0]).toBe(first[0]);
    expect(second[2]).toBe(first[2]);
  });

  it('parses a block again when its checkbox or its mentions change, with the same text', () => {
    const state = counted();
    const { parsed } = state;
    const text = 'Leanne send the minutes';
    render(state, [['7', { text, checked: false, mentions: [] }]]);
    const [ticked] = render(state, [['7', { text, checked: true, mentions: [] }]]);
    expect(ticked?.done).toBe(true);
    const [mentioned] = render(state, [['7', { text, checked: true, mentions: [{ start: 0, end: 6, attendeeId: '2', name: 'Leanne Guy' }] }]]);
    expect(mentioned?.assignees.map((a) => a.name)).toEqual(['Leanne Guy']);
    render(state, [['7', { text, checked: true, mentions: [{ start: 0, end: 6, attendeeId: '2', name: 'Leanne Guy' }] }]]);
    expect(parsed).toHaveLength(3);
  });

  it('forgets a block that left the notes: the same key coming back is parsed again', () => {
    const state = counted();
    const { parsed } = state;
    const line: [string, ActionBlockInput] = ['4', { text: 'TODO: LG draft the charter', mentions: [] }];
    render(state, [line, ['5', { text: 'Notes', mentions: [] }]]);
    render(state, [['5', { text: 'Notes', mentions: [] }]]);
    render(state, [line, ['5', { text: 'Notes', mentions: [] }]]);
    expect(parsed).toEqual(['TODO: LG draft the charter', 'Notes', 'TODO: LG draft the charter']);
  });
});
