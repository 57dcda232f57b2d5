// Direct reads and writes of a live session document's Yjs structure (shared/notes/README.md,
// "Structure in Yjs"): each block is an embedded Y.XmlText whose attributes are the node's
// properties; NodeState lives in its `__state` Y.Map; each text node is a Y.Map followed by its
// string. The writes here are the ones a tracker tick makes, each exactly the change Lexical's
// binding would write for the same edit: flipping a check item's `__checked`, rewriting a marker.

import * as Y from 'yjs';
import { ACTION_ID_KEY } from '../../shared/notes/action-id.js';
import { ROOT_NAME } from '../../shared/notes/headless.js';
import { blockTextRuns } from '../../shared/notes/yjs-read.js';
import { doneMarkerEdit } from './done-marker.js';

/** Lexical's `__mode` of a token text node (IS_TOKEN). */
const TOKEN_MODE = 1;

export interface LiveBlock {
  xmlText: Y.XmlText;
  type: string | undefined;
  /** The `__listType` of the list holding this item, or null for blocks outside lists. */
  listType: string | null;
}

function stateValue(xmlText: Y.XmlText, key: string): unknown {
  const state: unknown = xmlText.getAttribute('__state');
  return state instanceof Y.Map ? state.get(key) : undefined;
}

/** The block carrying this action id (the first, if a duplicate exists), or null. */
export function findActionBlock(doc: Y.Doc, actionId: string): LiveBlock | null {
  const visit = (parent: Y.XmlText, listType: string | null): LiveBlock | null => {
    for (const op of parent.toDelta() as Array<{ insert: unknown }>) {
      const child = op.insert;
      if (!(child instanceof Y.XmlText)) continue;
      const type = child.getAttribute('__type') as string | undefined;
      if (stateValue(child, ACTION_ID_KEY) === actionId) return { xmlText: child, type, listType };
      const found = visit(child, type === 'list' ? ((child.getAttribute('__listType') as string | undefined) ?? null) : null);
      if (found) return found;
    }
    return null;
  };
  return visit(doc.get(ROOT_NAME, Y.XmlText), null);
}

export function isCheckItem(block: LiveBlock): boolean {
  return block.type === 'listitem' && block.listType === 'check';
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
