// The chips in the margin beside the notes' action lines, handed from the highlighting (which
// reads them from the editor at every frame it renders) to the margin that shows them. A store of
// their own, not state of the notes editor: a new list there re-rendered the editor and every
// one of its plugins at each keystroke (~7 ms a keystroke in a three-day meeting). A list equal
// to the last one (same blocks, places and readings) is no news at all: typing in a line that
// holds no action changes no chip.

import type { ParsedAction } from '../../shared/actions/index';

export interface ActionChip {
  key: string;
  top: number;
  action: ParsedAction;
}

function sameChips(a: readonly ActionChip[], b: readonly ActionChip[]): boolean {
  return a.length === b.length && a.every((chip, i) => chip.key === b[i]!.key && chip.top === b[i]!.top && chip.action === b[i]!.action);
}

/** For `useSyncExternalStore`: `subscribe` and `get`, and `set` for the highlighting. */
export class ChipStore {
  private chips: readonly ActionChip[] = [];
  private readonly listeners = new Set<() => void>();

  readonly get = (): readonly ActionChip[] => this.chips;

  /** Takes the chips of a frame; tells the listeners only if they differ from the last ones. */
  readonly set = (chips: readonly ActionChip[]): void => {
    if (sameChips(this.chips, chips)) return;
    this.chips = chips;
    for (const listener of this.listeners) listener();
  };

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };
}
