// The chips in the margin beside the notes' action lines, handed from the highlighting (which
// reads them from the editor at every frame it renders) to the margin that shows them. A store of
// their own, not state of the notes editor: a new list there re-rendered the editor and every
// one of its plugins at each keystroke (~7 ms a keystroke in a three-day meeting). A list that
// shows what the last one showed (same blocks, places, assignees, due dates and ticks) is no news
// at all: typing in a line that holds no action, or the description of one that does, changes no
// chip. (Each React commit also costs a walk of the whole notes while they have the focus.)

import type { ParsedAction } from '../../shared/actions/index';
import { createStore, type Store } from '../collab/store';

export interface ActionChip {
  key: string;
  top: number;
  action: ParsedAction;
}

export interface ChipStore extends Store<{ chips: readonly ActionChip[] }> {
  /** Takes the chips of a frame; the store changes only if they differ from the last ones. */
  setChips(chips: readonly ActionChip[]): void;
}

/**
 * What a chip row shows of its action (ActionChips): the assignees, the due date, done. Typing
 * the description of an action line changes the action at every keystroke, and none of this.
 */
function face(action: ParsedAction): string {
  return JSON.stringify([action.everyone, action.assignees.map((a) => [a.name, a.handle ?? null]), action.assigneeText, action.due, action.done]);
}

function sameChip(a: ActionChip, b: ActionChip): boolean {
  return a.key === b.key && a.top === b.top && (a.action === b.action || face(a.action) === face(b.action));
}

function sameChips(a: readonly ActionChip[], b: readonly ActionChip[]): boolean {
  return a.length === b.length && a.every((chip, i) => sameChip(chip, b[i]!));
}

export function createChipStore(): ChipStore {
  const store = createStore<{ chips: readonly ActionChip[] }>({ chips: [] });
  return {
    ...store,
    setChips(chips) {
      if (!sameChips(store.get().chips, chips)) store.set({ chips });
    },
  };
}
