// What was read of each of the notes' top-level nodes, read again only where an update touched
// it. The highlighting needs every block at every frame it renders, and reading all of them
// (their text, mentions and checkboxes) cost ~2 ms of each keystroke in a three-day meeting of
// 3,000 lines, where a keystroke changes one.
//
// A Lexical update reports the elements it changed with every ancestor of each changed node (the
// reconciler finds what to render again that way), so the top-level nodes among its dirty elements
// are the ones to read again. Two kinds of update say less, and are handled apart:
//  - no dirty node at all: the selection moved, or an update that failed was rolled back to the
//    state last committed (which is what was read). Nothing to read again.
//  - only the root dirty: top-level nodes were removed, or a whole editor state was set (which
//    marks nothing but the root, though every node may differ). Everything is read again.
// And a top-level node that is not the very object read last time is read again whatever the
// update said: committed nodes are immutable, and Lexical keeps the object of a node nobody wrote.

import { $getRoot, type LexicalNode, type NodeKey } from 'lexical';

interface Entry<T> {
  node: LexicalNode;
  value: T;
}

export class TopLevelReadings<T> {
  private entries = new Map<NodeKey, Entry<T>>();
  /** The top-level nodes to read again at the next `$values`; null: all of them. */
  private touched: Set<NodeKey> | null = null;

  /** `$read` reads one top-level node, given what it read of the same node last time. */
  constructor(private readonly $read: (node: LexicalNode, previous: T | undefined) => T) {}

  /** Takes note of a committed update (the dirty sets of its update listener's payload). */
  updated(dirtyElements: ReadonlyMap<NodeKey, unknown>, dirtyLeaves: ReadonlySet<NodeKey>): void {
    if (this.touched === null || (dirtyElements.size === 0 && dirtyLeaves.size === 0)) return;
    if (dirtyLeaves.size === 0 && dirtyElements.size === 1 && dirtyElements.has('root')) {
      this.touched = null;
      return;
    }
    for (const key of dirtyElements.keys()) this.touched.add(key);
  }

  /** Each top-level node's reading, in document order. Call inside a read of the current state. */
  $values(): T[] {
    const touched = this.touched;
    const entries = new Map<NodeKey, Entry<T>>();
    const values: T[] = [];
    for (const node of $getRoot().getChildren()) {
      const key = node.getKey();
      const known = this.entries.get(key);
      const entry = known && known.node === node && touched !== null && !touched.has(key) ? known : { node, value: this.$read(node, known?.value) };
      entries.set(key, entry);
      values.push(entry.value);
    }
    this.entries = entries;
    this.touched = new Set();
    return values;
  }
}
