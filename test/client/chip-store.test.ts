// The margin's chips (client/editor/chip-store.ts): the highlighting hands over a list at every
// frame it renders, and the margin hears of it only when a chip changed, came or went.
import { describe, expect, it } from 'vitest';
import { createChipStore, type ActionChip } from '../../client/editor/chip-store';
import { ActionReadings, type ActionReading } from '../../client/editor/action-readings';
import { parseActionBlock, type ActionBlockInput } from '../../shared/actions/index';

const readings = new ActionReadings((block) => parseActionBlock(block, [{ name: 'Leanne Guy', handle: 'LG' }], '2026-11-17'));
let last: ActionReading[] = [];

/** The chips of one frame: each action block at its place, read as the highlighting reads it. */
function frame(blocks: Array<[string, string, number]>): ActionChip[] {
  last = readings.read(
    blocks.map(([key, text]) => [key, { text, mentions: [] } satisfies ActionBlockInput] as const),
    last,
  );
  const chips: ActionChip[] = [];
  last.forEach(({ key, action }, i) => {
    if (action) chips.push({ key, top: blocks[i]![2], action });
  });
  return chips;
}

describe('the margin hears of the chips only when they change', () => {
  it('is told when a chip shows something new, moves or leaves, and not of typing that changes what no chip shows', () => {
    const store = createChipStore();
    let told = 0;
    const stop = store.subscribe(() => told++);
    const notes: Array<[string, string, number]> = [
      ['1', 'Budget review', 0],
      ['2', 'ACTION: LG send the minutes', 20],
      ['3', 'We agreed to revisit burn rates', 40],
    ];
    store.setChips(frame(notes));
    expect(told).toBe(1);
    expect(store.get().chips.map((chip) => chip.action.description)).toEqual(['send the minutes']);

    // Typing in a line that holds no action: the same chips, read from the same readings.
    notes[2] = ['3', 'We agreed to revisit burn rates next', 40];
    store.setChips(frame(notes));
    expect(told).toBe(1);

    // Typing the description of the action: its chips (assignee, due date) show the same.
    notes[1] = ['2', 'ACTION: LG send the minutes to the', 20];
    store.setChips(frame(notes));
    expect(told).toBe(1);

    // A due date, another assignee, a tick: the chips show something new.
    notes[1] = ['2', 'ACTION: LG send the minutes to the board by Friday', 20];
    store.setChips(frame(notes));
    expect(told).toBe(2);
    expect(store.get().chips[0]!.action.due).toBe('2026-11-20');
    notes[1] = ['2', 'ACTION: LG, All send the minutes to the board by Friday', 20];
    store.setChips(frame(notes));
    expect(told).toBe(3);
    notes[1] = ['2', 'DONE: LG, All send the minutes to the board by Friday', 20];
    store.setChips(frame(notes));
    expect(told).toBe(4);
    expect(store.get().chips[0]!.action.done).toBe(true);

    // A line added above moves the chip down.
    store.setChips(frame([['0', 'Welcome', 0], ...notes.map(([key, text, top]): [string, string, number] => [key, text, top + 20])]));
    expect(told).toBe(5);

    store.setChips(frame([['1', 'Budget review', 0]]));
    expect(told).toBe(6);
    expect(store.get().chips).toEqual([]);

    stop();
    store.setChips(frame(notes));
    expect(told).toBe(6);
  });
});
