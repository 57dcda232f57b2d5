// Notetakers for the notes tests: a stock y-websocket client with a headless Lexical editor bound
// both ways to its document, registering the same nodes as the browser client. Edits go through
// Lexical exactly as a browser's would (the Yjs structure is Lexical's own).

import { $getRoot, $isElementNode, type ElementNode, type LexicalNode } from 'lexical';
import { createUndoManager } from '@lexical/yjs';
import type { UndoManager } from 'yjs';
import { connectProvider, type ProviderClient } from '../helpers/clients.js';
import { bindDocument, type BoundEditor } from '../../server/notes/headless.js';
import { $readBlocks, type ReadBlock } from '../../server/notes/read.js';
import { $getActionId } from '../../shared/notes/action-id.js';
import { waitFor } from '../helpers/wait.js';

export interface Notetaker {
  client: ProviderClient;
  bound: BoundEditor;
  undo: UndoManager;
  /** Runs a discrete Lexical update (the change is in the Yjs doc when it returns). */
  edit(fn: () => void): void;
  blocks(): ReadBlock[];
  synced(): Promise<void>;
  destroy(): void;
}

export function connectNotetaker(collabUrl: string, doc: string, token: string): Notetaker {
  const client = connectProvider(collabUrl, doc, { params: { token }, connect: false });
  // Bind before any content arrives: a binding learns content only from Yjs events.
  const bound = bindDocument(client.doc, { twoWay: true });
  const undo = createUndoManager(bound.binding, bound.binding.root.getSharedType());
  client.provider.connect();
  return {
    client,
    bound,
    undo,
    edit(fn) {
      bound.editor.update(fn, { discrete: true });
    },
    blocks() {
      bound.flush();
      return bound.editor.getEditorState().read(() => $readBlocks());
    },
    synced: () => client.synced(),
    destroy() {
      undo.destroy();
      bound.dispose();
      client.destroy();
    },
  };
}

/** The element node of the block whose text starts with `prefix` (inside an update). */
export function $blockStartingWith(prefix: string): ElementNode {
  const found = $findBlock((node) => node.getTextContent().startsWith(prefix));
  if (!found) throw new Error(`no block starting with ${JSON.stringify(prefix)}`);
  return found;
}

/** The block carrying this action id (inside an update). */
export function $blockWithActionId(id: string): ElementNode {
  const found = $findBlock((node) => $getActionId(node) === id);
  if (!found) throw new Error(`no block with action id ${id}`);
  return found;
}

function $findBlock(match: (node: ElementNode) => boolean): ElementNode | null {
  const visit = (node: LexicalNode): ElementNode | null => {
    if (!$isElementNode(node)) return null;
    const type = node.getType();
    if (type !== 'root' && type !== 'list' && match(node)) return node;
    for (const child of node.getChildren()) {
      const found = visit(child);
      if (found) return found;
    }
    return null;
  };
  return visit($getRoot());
}

/** Waits until every notetaker's document has the same blocks. */
export async function converged(notetakers: Notetaker[]): Promise<ReadBlock[]> {
  return waitFor(
    () => {
      const views = notetakers.map((n) => JSON.stringify(n.blocks().map(({ key: _key, ...rest }) => rest)));
      return views.every((v) => v === views[0]) ? notetakers[0]!.blocks() : null;
    },
    { message: 'notetakers did not converge' },
  );
}
