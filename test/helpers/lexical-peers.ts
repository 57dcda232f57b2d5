// Notetakers without a browser: headless Lexical editors bound to Yjs documents exactly as the
// page's CollaborationPlugin binds them (same binding, same listeners, the collaboration undo),
// and a hub standing for the server that orders, applies and relays updates. Delivery is under
// the test's control, so concurrency (two edits crossing in flight) is reproducible from a seed.
import * as Y from 'yjs';
import { Awareness } from 'y-protocols/awareness';
import { createHeadlessEditor } from '@lexical/headless';
import { registerRichText } from '@lexical/rich-text';
import { $isListItemNode, $isListNode, registerList } from '@lexical/list';
import {
  createBinding,
  createUndoManager,
  initLocalState,
  syncLexicalUpdateToYjs,
  syncYjsChangesToLexical,
  type Binding,
  type Provider,
} from '@lexical/yjs';
import {
  $getRoot,
  $isElementNode,
  $isRootOrShadowRoot,
  COMMAND_PRIORITY_EDITOR,
  mergeRegister,
  REDO_COMMAND,
  SKIP_COLLAB_TAG,
  UNDO_COMMAND,
  type LexicalEditor,
  type LexicalNode,
} from 'lexical';
import { NOTE_NODES } from '../../shared/notes/nodes.js';
import { createMoveRescue, type MoveRescue } from '../../client/collab/rescue.js';
import { mirrorDocument } from '../../client/collab/mirror.js';
import { keepAdjacentListsApart } from '../../client/editor/list-merging.js';
import { completeOwnRows } from '../../client/editor/table-ops.js';
import { filterUndo } from '../../client/editor/undo-filter.js';
import { caretFollowsUndo } from '../../client/editor/undo-caret.js';
import { registerUrlLinks } from '../../client/editor/url-links.js';
import { readNotesState, sameNotes } from '../../shared/notes/outline.js';
import { createWriter } from '../../shared/notes/headless.js';

/** A small seeded generator (mulberry32): the same seed, the same run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Peer {
  name: string;
  readonly doc: Y.Doc;
  readonly editor: LexicalEditor;
  readonly binding: Binding;
  /** The collaboration undo, as the page's (with its filter). */
  readonly undoManager: Y.UndoManager;
  readonly awareness: Awareness;
  readOnly: boolean;
  /** Local updates not yet handed to the hub, with the hub time they were made at. */
  outbox: Queued[];
  /** Local updates made so far (a follower must make none). */
  writes: number;
  /** Updates from the hub not yet applied here. */
  inbox: Queued[];
  readonly rescue: MoveRescue | null;
  /** Times the editor was rebuilt because it no longer showed its document. */
  resyncs: number;
  /** Applies an update from the hub (through the rescue, when there is one). */
  receive(update: Uint8Array): void;
  /** Applies pending Lexical work (remote changes are synced in a non-discrete update). */
  flush(): void;
  /** Rebuilds the editor from the document, as a reload would (the drift guard's remedy). */
  resync(): void;
  dispose(): void;
}

export interface Queued {
  update: Uint8Array;
  at: number;
}

export interface PeerOptions {
  readOnly?: boolean;
  /** Follow moved text with this client's own concurrent typing (client/collab/rescue.ts). */
  rescue?: boolean;
}

/** The server: applies every update in arrival order and relays it to every other peer. */
/** Transaction origin of edits the hub's document makes itself, as the server does (action ids). */
export const SERVER_EDIT = Symbol('server edit');

export class Hub {
  readonly doc = new Y.Doc();
  readonly peers: Peer[] = [];
  /** Client ids decide the order of concurrent inserts: fixed ones make a seed reproducible. */
  private nextClientId = 1000;
  /** Logical time (the test advances it), to bound how long an update stays in flight. */
  now = 0;

  /** A hub whose document holds what `build` makes in a Lexical editor (its root filled in an update). */
  static written(build: () => void): Hub {
    const writer = createWriter(null);
    writer.editor.update(build, { discrete: true });
    const hub = new Hub(writer.diff());
    writer.dispose();
    return hub;
  }

  constructor(initial?: Uint8Array) {
    if (initial) Y.applyUpdate(this.doc, initial);
    // The server's own edits (action ids) reach every peer like any relayed update.
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin !== SERVER_EDIT) return;
      for (const peer of this.peers) peer.inbox.push({ update, at: this.now });
    });
  }

  /** A new peer, synced with the hub's current state. */
  join(name: string, options: PeerOptions = {}): Peer {
    const peer = createPeer(name, options, this.nextClientId++, () => this.now);
    this.peers.push(peer);
    receive(peer, Y.encodeStateAsUpdate(this.doc));
    return peer;
  }

  /** Hands one queued local update of `peer` to the hub, which relays it. Returns false if none. */
  send(peer: Peer): boolean {
    const queued = peer.outbox.shift();
    if (!queued) return false;
    // A read-only connection's updates are never applied or relayed (the server's rule).
    if (peer.readOnly) return true;
    Y.applyUpdate(this.doc, queued.update, peer);
    for (const other of this.peers) if (other !== peer) other.inbox.push({ update: queued.update, at: this.now });
    return true;
  }

  /** Applies one relayed update at `peer`. Returns false if none. */
  deliver(peer: Peer): boolean {
    const queued = peer.inbox.shift();
    if (!queued) return false;
    receive(peer, queued.update);
    return true;
  }

  /** Moves everything that has been in flight for `lag` time units or more. */
  overdue(lag: number): void {
    for (let moved = true; moved; ) {
      moved = false;
      for (const peer of this.peers) {
        while (peer.outbox[0] && this.now - peer.outbox[0].at >= lag) moved = this.send(peer) || moved;
        while (peer.inbox[0] && this.now - peer.inbox[0].at >= lag) moved = this.deliver(peer) || moved;
      }
    }
  }

  /** Delivers everything everywhere until nothing is in flight. */
  settle(): void {
    for (let guard = 0; guard < 100_000; guard++) {
      let moved = false;
      for (const peer of this.peers) {
        while (this.send(peer)) moved = true;
      }
      for (const peer of this.peers) {
        while (this.deliver(peer)) moved = true;
        peer.flush();
        // Flushing may have written (normalisation, rescues): send that too.
        if (peer.outbox.length > 0) moved = true;
      }
      if (!moved) return;
    }
    throw new Error('the hub never settled');
  }

  dispose(): void {
    for (const peer of this.peers) peer.dispose();
  }
}

/** The origin of updates applied from the network, as y-websocket uses its provider. */
function receive(peer: Peer, update: Uint8Array): void {
  peer.receive(update);
  peer.flush();
}

interface Parts {
  doc: Y.Doc;
  editor: LexicalEditor;
  binding: Binding;
  undoManager: Y.UndoManager;
  awareness: Awareness;
  rescue: MoveRescue | null;
  receive(update: Uint8Array): void;
  dispose(): void;
}

/**
 * A peer's document and editor, as one page load makes them: the editor is bound first, then the
 * document's content (`state`: what IndexedDB holds on a reload) arrives as an update it renders.
 */
function build(name: string, options: PeerOptions, clientId: number, state: Uint8Array | null, onLocal: (update: Uint8Array) => void): Parts {
  const doc = new Y.Doc();
  doc.clientID = clientId;
  const awareness = new Awareness(doc);
  const provider = { awareness, connect: () => {}, disconnect: () => {}, on: () => {}, off: () => {} } as unknown as Provider;
  const editor = createHeadlessEditor({
    namespace: 'peer',
    nodes: [...NOTE_NODES],
    onError: (error) => {
      throw error;
    },
  });
  // A follower's editor reads a view that never writes back, as the page does (client/collab/mirror.ts).
  const mirror = options.readOnly ? mirrorDocument(doc) : null;
  const bound = mirror?.view ?? doc;
  const binding = createBinding(editor, provider, 'root', bound, new Map([['root', bound]]));
  initLocalState(provider, name, '#000', true, {});
  const undo = createUndoManager(binding, binding.root.getSharedType());
  filterUndo(undo);
  const stopUndoCaret = caretFollowsUndo(undo, binding, awareness);
  const root = binding.root.getSharedType();
  const onEvents = (events: Array<Y.YEvent<Y.AbstractType<unknown>>>, transaction: Y.Transaction): void => {
    if (transaction.origin === binding) return;
    syncYjsChangesToLexical(binding, provider, events as unknown as Parameters<typeof syncYjsChangesToLexical>[2], transaction.origin instanceof Y.UndoManager);
  };
  root.observeDeep(onEvents);
  const onUpdate = (update: Uint8Array, origin: unknown): void => {
    if (origin !== provider) onLocal(update);
  };
  doc.on('update', onUpdate);
  const rescue = options.rescue ? createMoveRescue(doc, { isRemote: (origin) => origin === provider, awareness }) : null;
  const cleanup = mergeRegister(
    registerRichText(editor),
    registerList(editor),
    keepAdjacentListsApart(editor),
    completeOwnRows(editor),
    // The page's notetakers make links of the addresses they type (followers type nothing).
    options.readOnly ? () => {} : registerUrlLinks(editor),
    editor.registerUpdateListener(({ prevEditorState, editorState, dirtyElements, dirtyLeaves, normalizedNodes, tags }) => {
      if (!tags.has(SKIP_COLLAB_TAG)) syncLexicalUpdateToYjs(binding, provider, prevEditorState, editorState, dirtyElements, dirtyLeaves, normalizedNodes, tags);
    }),
    editor.registerCommand(UNDO_COMMAND, () => (undo.undo(), true), COMMAND_PRIORITY_EDITOR),
    editor.registerCommand(REDO_COMMAND, () => (undo.redo(), true), COMMAND_PRIORITY_EDITOR),
  );
  editor.setEditable(!options.readOnly);
  const apply = (update: Uint8Array) => Y.applyUpdate(doc, update, provider);
  if (state) apply(state);
  return {
    doc,
    editor,
    binding,
    undoManager: undo,
    awareness,
    rescue,
    receive(update) {
      if (rescue) rescue.receiving(update, () => apply(update));
      else apply(update);
    },
    dispose() {
      cleanup();
      root.unobserveDeep(onEvents);
      doc.off('update', onUpdate);
      rescue?.dispose();
      stopUndoCaret();
      undo.destroy();
      awareness.destroy();
      mirror?.dispose();
    },
  };
}

function createPeer(name: string, options: PeerOptions, clientId: number, now: () => number): Peer {
  const onLocal = (update: Uint8Array): void => {
    peer.outbox.push({ update, at: now() });
    peer.writes++;
  };
  let parts = build(name, options, clientId, null, onLocal);
  const peer: Peer = {
    name,
    get doc() {
      return parts.doc;
    },
    get editor() {
      return parts.editor;
    },
    get binding() {
      return parts.binding;
    },
    get undoManager() {
      return parts.undoManager;
    },
    get awareness() {
      return parts.awareness;
    },
    get rescue() {
      return parts.rescue;
    },
    readOnly: options.readOnly ?? false,
    outbox: [],
    writes: 0,
    inbox: [],
    resyncs: 0,
    receive: (update) => parts.receive(update),
    // Commits the pending remote change as the page's microtask would: without node transforms.
    flush: () => parts.editor.update(() => {}, { discrete: true, skipTransforms: true }),
    resync() {
      // What the page does when its editor no longer shows its document: a fresh page load.
      const state = Y.encodeStateAsUpdate(parts.doc);
      parts.dispose();
      parts = build(name, options, clientId + 1_000_000 * ++peer.resyncs, state, onLocal);
      peer.flush();
    },
    dispose: () => parts.dispose(),
  };
  return peer;
}

/** Whether the peer's editor shows what its own document holds (the page's drift check). */
export function showsItsDocument(peer: Peer): boolean {
  return sameNotes(peer.editor.getEditorState().toJSON(), readNotesState(peer.doc));
}

/** The editor's content as plain JSON without node keys: what two editors must agree on. */
export function contentOf(editor: LexicalEditor): unknown {
  return editor.getEditorState().toJSON().root;
}

/** The text of every block, in document order (a list item that only holds a nested list is skipped). */
export function blockTexts(editor: LexicalEditor): string[] {
  return editor.getEditorState().read(() => {
    const lines: string[] = [];
    const walk = (node: LexicalNode): void => {
      if ($isElementNode(node)) {
        const children = node.getChildren();
        if ($isRootOrShadowRoot(node) || $isListNode(node) || ($isListItemNode(node) && children.some($isListNode))) {
          children.forEach(walk);
          return;
        }
      }
      lines.push(node.getTextContent());
    };
    walk($getRoot());
    return lines;
  });
}

/** A compact outline of the editor's tree (types, list kinds, checks, text), for failure messages. */
export function outlineOf(editor: LexicalEditor): string {
  const json = editor.getEditorState().toJSON().root as unknown as OutlineNode;
  const lines: string[] = [];
  const walk = (node: OutlineNode, depth: number): void => {
    const label = node.type === 'text' ? JSON.stringify(node.text) : `${node.type}${node.listType ? `:${node.listType}` : ''}${node.checked !== undefined ? `[${node.checked ? 'x' : ' '}]` : ''}`;
    lines.push(`${'  '.repeat(depth)}${label}`);
    for (const child of node.children ?? []) walk(child, depth + 1);
  };
  walk(json, 0);
  return lines.join('\n');
}

interface OutlineNode {
  type: string;
  text?: string;
  listType?: string;
  checked?: boolean;
  children?: OutlineNode[];
}
