// The chips in the margin beside the notes' action lines, handed from the highlighting (which
// reads them from the editor at every frame it renders) to the margin that shows them. A store of
// their own, not state of the notes editor: a new list there re-rendered the editor and every
// one of its plugins at each keystroke (~7 ms a keystroke in a three-day meeting). A list equal
// to the last one (same blocks, places and readings) is no news at all: typing in a line that
// holds no action changes no chip.

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

function sameChips(a: readonly ActionChip[], b: readonly ActionChip[]): boolean {
  return a.length === b.length && a.every((chip, i) => chip.key === b[i]!.key && chip.top === b[i]!.top && chip.action === b[i]!.action);
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
