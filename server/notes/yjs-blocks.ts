// Direct reads and writes of a live session document's Yjs structure (shared/notes/README.md,
// "Structure in Yjs"): each block is an embedded Y.XmlText whose attributes are the node's
// properties; NodeState lives in its `__state` Y.Map; each text node is a Y.Map followed by its
// string. The writes here are the ones a tracker tick makes, each exactly the change Lexical's
// binding would write for the same edit: flipping a check item's `__checked`, rewriting a marker.

import * as Y from 'yjs';
import { ROOT_NAME } from '../../shared/notes/headless.js';
import { blockTextRuns, readYjsBlocks } from '../../shared/notes/yjs-read.js';
import { doneMarkerEdit } from './done-marker.js';

/** Lexical's `__mode` of a token text node (IS_TOKEN). */
const TOKEN_MODE = 1;

export interface LiveBlock {
  xmlText: Y.XmlText;
  /** A check-list item: ticked through its `__checked` attribute. */
  checkItem: boolean;
}

/** The block carrying this action id (the first, if a duplicate exists), or null. */
export function findActionBlock(doc: Y.Doc, actionId: string): LiveBlock | null {
  const block = readYjsBlocks(doc.get(ROOT_NAME, Y.XmlText)).find((b) => b.actionId === actionId);
  return block ? { xmlText: block.xmlText, checkItem: block.type === 'listitem' && block.checked !== null } : null;
}

export function isCheckItem(block: LiveBlock): boolean {
  return block.checkItem;
}

/**
 * Rewrites an action block's done marker (done-marker.ts) in place: a text edit inside the one
 * text node that holds the marker, as typing over it would be. False when there is nothing to
 * change or the marker does not sit inside one plain text node (then nothing is written).
 */
export function rewriteDoneMarker(block: LiveBlock, done: boolean, origin: unknown): boolean {
  const { text, runs } = blockTextRuns(block.xmlText);
  const edit = doneMarkerEdit(text, done);
  if (!edit) return false;
  const run = runs.find((r) => edit.start >= r.start && edit.end <= r.start + r.length);
  // Never inside a mention or another token: those are deleted and replaced only as a whole.
  if (!run || run.node?.get('__type') !== 'text' || run.node.get('__mode') === TOKEN_MODE) return false;
  const at = run.index + (edit.start - run.start);
  block.xmlText.doc!.transact(() => {
    run.parent.delete(at, edit.end - edit.start);
    run.parent.insert(at, edit.replacement);
  }, origin);
  return true;
}
