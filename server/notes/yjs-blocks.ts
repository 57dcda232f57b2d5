// Direct reads of a live session document's Yjs structure (shared/notes/README.md, "Structure in Yjs"): each
// block is an embedded Y.XmlText whose attributes are the node's properties; NodeState lives in
// its `__state` Y.Map. Used for the one write that is safe on the live document without Lexical:
// flipping a check item's `__checked`.

import * as Y from 'yjs';
import { ACTION_ID_KEY } from '../../shared/notes/action-id.js';
import { ROOT_NAME } from '../../shared/notes/headless.js';

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
