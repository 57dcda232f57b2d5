// What each block of the notes parses to, kept between two renders of the action highlighting.
// A keystroke changes one block, but the highlighting reads every block at every frame it
// renders: a three-day meeting's 3,000 blocks parsed again cost ~5 ms of each frame while
// someone types. A block is parsed again only when its text, its checkbox or its mentions changed.

import type { ActionBlockInput, Mention, ParsedAction } from '../../shared/actions/index';

interface Reading {
  text: string;
  checked: boolean | null;
  mentions: string;
  action: ParsedAction | null;
}

function mentionsKey(mentions: readonly Mention[] | undefined): string {
  return mentions === undefined || mentions.length === 0 ? '' : JSON.stringify(mentions);
}

export class ActionReadings {
  private readonly readings = new Map<string, Reading>();
  /** The blocks met since the last `endRender`. */
  private readonly met = new Set<string>();

  /** `parse` reads one block with the meeting's attendees and date (a new instance when they change). */
  constructor(private readonly parse: (block: ActionBlockInput) => ParsedAction | null) {}

  /** The action the block (Lexical node key `key`) holds, or null: parsed again only if it changed. */
  actionOf(key: string, block: ActionBlockInput): ParsedAction | null {
    this.met.add(key);
    const checked = block.checked ?? null;
    const mentions = mentionsKey(block.mentions);
    const known = this.readings.get(key);
    if (known && known.text === block.text && known.checked === checked && known.mentions === mentions) return known.action;
    const action = this.parse(block);
    this.readings.set(key, { text: block.text, checked, mentions, action });
    return action;
  }

  /** Ends a render: forgets the blocks it did not meet (deleted, or merged into another). */
  endRender(): void {
    for (const key of this.readings.keys()) if (!this.met.has(key)) this.readings.delete(key);
    this.met.clear();
  }
}
