// The highlighting keeps each block's parse between frames (client/editor/action-readings.ts): a
// block is parsed again only when what the grammar reads of it changed, and a block that left the
// notes is forgotten.
import { describe, expect, it } from 'vitest';
import { ActionReadings } from '../../client/editor/action-readings';
import { parseActionBlock, type ActionBlockInput, type Attendee } from '../../shared/actions/index';

const ATTENDEES: Attendee[] = [
  { id: '1', name: 'Kian-Tat Lim', handle: 'KTL' },
  { id: '2', name: 'Leanne Guy', handle: 'LG' },
];
const SESSION = '2026-11-17';

/** Readings over the real grammar, counting the parses. */
function counted(): { readings: ActionReadings; parsed: string[] } {
  const parsed: string[] = [];
  const readings = new ActionReadings((block) => {
    parsed.push(block.text);
    return parseActionBlock(block, ATTENDEES, SESSION);
  });
  return { readings, parsed };
}

function render(readings: ActionReadings, blocks: Array<[string, ActionBlockInput]>) {
  const actions = blocks.map(([key, block]) => readings.actionOf(key, block));
  readings.endRender();
  return actions;
}

describe('the highlighting parses a block again only when it changed', () => {
  it('parses every block once, then only the one being typed in, with the grammar’s own answers', () => {
    const { readings, parsed } = counted();
    const notes: Array<[string, ActionBlockInput]> = [
      ['1', { text: 'Budget review', mentions: [] }],
      ['2', { text: 'ACTION: KTL send the plan by Friday', mentions: [] }],
      ['3', { text: 'We agreed to revisit burn rates', mentions: [] }],
    ];
    const first = render(readings, notes);
    expect(parsed).toHaveLength(3);
    expect(first).toEqual(notes.map(([, block]) => parseActionBlock(block, ATTENDEES, SESSION)));

    parsed.length = 0;
    notes[1] = ['2', { text: 'ACTION: KTL send the plan by Friday, with LG', mentions: [] }];
    const second = render(readings, notes);
    expect(parsed).toEqual(['ACTION: KTL send the plan by Friday, with LG']);
    expect(second[1]?.due).toBe('2026-11-20');
    // The others are the very readings of the last frame.
    expect(second[0]).toBe(first[0]);
    expect(second[2]).toBe(first[2]);
  });

  it('parses a block again when its checkbox or its mentions change, with the same text', () => {
    const { readings, parsed } = counted();
    const text = 'Leanne send the minutes';
    render(readings, [['7', { text, checked: false, mentions: [] }]]);
    const [ticked] = render(readings, [['7', { text, checked: true, mentions: [] }]]);
    expect(ticked?.done).toBe(true);
    const [mentioned] = render(readings, [['7', { text, checked: true, mentions: [{ start: 0, end: 6, attendeeId: '2', name: 'Leanne Guy' }] }]]);
    expect(mentioned?.assignees.map((a) => a.name)).toEqual(['Leanne Guy']);
    render(readings, [['7', { text, checked: true, mentions: [{ start: 0, end: 6, attendeeId: '2', name: 'Leanne Guy' }] }]]);
    expect(parsed).toHaveLength(3);
  });

  it('forgets a block that left the notes: the same key coming back is parsed again', () => {
    const { readings, parsed } = counted();
    const line: [string, ActionBlockInput] = ['4', { text: 'TODO: LG draft the charter', mentions: [] }];
    render(readings, [line, ['5', { text: 'Notes', mentions: [] }]]);
    render(readings, [['5', { text: 'Notes', mentions: [] }]]);
    render(readings, [line, ['5', { text: 'Notes', mentions: [] }]]);
    expect(parsed).toEqual(['TODO: LG draft the charter', 'Notes', 'TODO: LG draft the charter']);
  });
});
