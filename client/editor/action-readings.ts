// What the blocks of one top-level node parse to, kept between two renders of the action
// highlighting: when the node is read again (a keystroke in one item of a long list, say), a
// block is parsed again only when its text, its checkbox or its mentions changed.

import type { ActionBlockInput, Mention, ParsedAction } from '../../shared/actions/index';

export interface ActionReading {
  /** The block's Lexical node key. */
  key: string;
  text: string;
  checked: boolean | null;
  mentions: string;
  action: ParsedAction | null;
}

function mentionsKey(mentions: readonly Mention[] | undefined): string {
  return mentions === undefined || mentions.length === 0 ? '' : JSON.stringify(mentions);
}

export class ActionReadings {
  /** `parse` reads one block with the meeting's attendees and date (a new instance when they change). */
  constructor(private readonly parse: (block: ActionBlockInput) => ParsedAction | null) {}

  /**
   * The readings of `blocks` (by Lexical node key), taking a block's reading from `previous`
   * (what the same node read as last time) when what the grammar reads of it is unchanged.
   */
  read(blocks: ReadonlyArray<readonly [string, ActionBlockInput]>, previous: readonly ActionReading[] = []): ActionReading[] {
    const known = new Map(previous.map((reading) => [reading.key, reading]));
    return blocks.map(([key, block]) => {
      const checked = block.checked ?? null;
      const mentions = mentionsKey(block.mentions);
      const reading = known.get(key);
      if (reading && reading.text === block.text && reading.checked === checked && reading.mentions === mentions) return reading;
      return { key, text: block.text, checked, mentions, action: this.parse(block) };
    });
  }
}
