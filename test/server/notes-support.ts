// Notetakers for the notes tests: a stock y-websocket client with a headless Lexical editor bound
// both ways to its document, registering the same nodes as the browser client. Edits go through
// Lexical exactly as a browser's would (the Yjs structure is Lexical's own).

import { $getRoot, $isElementNode, type ElementNode, type LexicalNode } from 'lexical';
import { createUndoManager } from '@lexical/yjs';
import type { UndoManager } from 'yjs';
import { connectProvider, type ProviderClient } from '../helpers/clients.js';
import * as Y from 'yjs';
import { bindDocument, createReader, type BoundEditor } from '../../shared/notes/headless.js';
import { $readBlocks, type ReadBlock } from '../../shared/notes/read.js';
import { $getActionId } from '../../shared/notes/action-id.js';
import { waitFor } from '../helpers/wait.js';
import * as decoding from 'lib0/decoding';
import { parseActionBlock, type Attendee } from '../../shared/actions/index.js';
import type { ActionRecord } from '../../shared/api/actions.js';
import type { TestServer } from '../helpers/server.js';
import { MessageType } from '../../shared/protocol/index.js';

export interface Notetaker {
  client: ProviderClient;
  /** Control messages (type 4) the server pushed, decoded, in arrival order. */
  controls: Array<{ type: string; [key: string]: unknown }>;
  bound: BoundEditor;
  undo: UndoManager;
  /** Runs a discrete Lexical update (the change is in the Yjs doc when it returns). */
  edit(fn: () => void): void;
  /** Blocks as this notetaker's editor shows them. */
  blocks(): ReadBlock[];
  /**
   * Blocks of this notetaker's Yjs document read afresh (a new reader over its whole state): what
   * the document says, independent of how well this editor kept up with concurrent changes.
   */
  truth(): ReadBlock[];
  synced(): Promise<void>;
  destroy(): void;
}

export function connectNotetaker(collabUrl: string, doc: string, token: string, params: Record<string, string> = {}): Notetaker {
  const client = connectProvider(collabUrl, doc, { params: { token, ...params }, connect: false });
  // Bind before any content arrives: a binding learns content only from Yjs events.
  const bound = bindDocument(client.doc, { twoWay: true });
  const undo = createUndoManager(bound.binding, bound.binding.root.getSharedType());
  const controls: Notetaker['controls'] = [];
  // What the browser client does: the stock provider knows message types 0-3 only.
  client.provider.messageHandlers[MessageType.Control] = (_encoder, decoder) => {
    controls.push(JSON.parse(decoding.readVarString(decoder)) as Notetaker['controls'][number]);
  };
  client.provider.connect();
  return {
    client,
    controls,
    bound,
    undo,
    edit(fn) {
      bound.editor.update(fn, { discrete: true });
    },
    blocks() {
      bound.flush();
      return bound.editor.getEditorState().read(() => $readBlocks());
    },
    truth: () => readDocument(Y.encodeStateAsUpdate(client.doc)),
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

/** The blocks of a document state, read by a fresh headless reader. */
export function readDocument(state: Uint8Array): ReadBlock[] {
  const reader = createReader();
  try {
    Y.applyUpdate(reader.doc, state);
    reader.flush();
    return reader.editor.getEditorState().read(() => $readBlocks());
  } finally {
    reader.dispose();
    reader.doc.destroy();
  }
}

const summary = (blocks: ReadBlock[]) => JSON.stringify(blocks.map((b) => [b.type, b.text, b.checked, b.actionId]));

/** Waits until every notetaker's editor shows exactly what its own Yjs document says. */
export async function editorsMatchDocuments(notetakers: Notetaker[]): Promise<void> {
  let mismatch = '';
  try {
    await waitFor(() => {
      const off = notetakers.findIndex((n) => summary(n.blocks()) !== summary(n.truth()));
      if (off >= 0) mismatch = `editor ${off}:\n${summary(notetakers[off]!.blocks())}\ndocument:\n${summary(notetakers[off]!.truth())}`;
      return off < 0;
    });
  } catch {
    throw new Error(`an editor drifted from its document: ${mismatch}`);
  }
}

/**
 * Waits until every notetaker's document has the same blocks: as their editors show them, or with
 * `{documents: true}` as their Yjs documents say (see `truth`).
 */
export async function converged(notetakers: Notetaker[], { documents = false } = {}): Promise<ReadBlock[]> {
  let views: string[] = [];
  const read = (n: Notetaker) => (documents ? n.truth() : n.blocks());
  try {
    return await waitFor(() => {
      views = notetakers.map((n) => summary(read(n)));
      return views.every((v) => v === views[0]) ? read(notetakers[0]!) : null;
    });
  } catch {
    throw new Error(`notetakers did not converge:\n${views.join('\n')}`);
  }
}

export interface IndexView {
  blocks: ReadBlock[];
  /** Action blocks of the document, in order. */
  actionBlocks: ReadBlock[];
  records: ActionRecord[];
}

/**
 * Polls until action_items holds exactly one present record per action block of the notetaker's
 * document (its editor's view, or with `{documents: true}` its Yjs document read afresh), in document order, each block carrying its record's id, with matching description,
 * done state and due date. Returns what matched.
 */
export async function indexMatches(
  server: TestServer,
  doc: string,
  notetaker: Notetaker,
  attendees: Attendee[],
  sessionDate: string,
  { documents = false } = {},
): Promise<IndexView> {
  let last = '';
  try {
    return await waitFor(async () => {
      const blocks = documents ? notetaker.truth() : notetaker.blocks();
      const actionBlocks = blocks.filter((b) => parseActionBlock(b, attendees, sessionDate) !== null);
      const records = await server.app.notes.listActions(doc);
      const expected = actionBlocks.map((b) => {
        const parsed = parseActionBlock(b, attendees, sessionDate)!;
        return { id: b.actionId, description: parsed.description, done: parsed.done, due: parsed.due };
      });
      const actual = records.map((r) => ({ id: r.id, description: r.description, done: r.done, due: r.due }));
      last = `doc ${JSON.stringify(expected)}\ntable ${JSON.stringify(actual)}`;
      const ids = actionBlocks.map((b) => b.actionId);
      if (ids.some((id) => id === null) || new Set(ids).size !== ids.length) return null;
      return JSON.stringify(expected) === JSON.stringify(actual) ? { blocks, actionBlocks, records } : null;
    });
  } catch (error) {
    throw new Error(`${(error as Error).message}\n${last}`, { cause: error });
  }
}
