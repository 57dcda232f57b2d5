// Headless Lexical editors bound to Yjs documents on the server, with exactly the client's nodes.
// Two kinds (shared/notes/README.md):
//  - a reader, bound one way to a private COPY of a session document: Yjs → Lexical only. Read
//    with a fresh one: one kept bound while updates stream in was seen to drift from its document
//    under concurrent edits (exports build a fresh one per read for that reason);
//  - a writer, bound both ways to a scratch copy: its edits are taken out as a Yjs update and
//    applied to the live document, so the live document only ever sees ordinary Yjs updates.

import * as Y from 'yjs';
import { createHeadlessEditor } from '@lexical/headless';
import { createBinding, syncLexicalUpdateToYjs, syncYjsChangesToLexical, type Binding, type Provider } from '@lexical/yjs';
import type { LexicalEditor } from 'lexical';
import { NOTE_NODES } from './nodes';
import { newDoc } from './client-id';

/**
 * Options for every server-side edit: applied at once, and without node transforms, so the only
 * change written is the one the server means (no list merging, no normalisation of others' text).
 */
export const SERVER_EDIT = { discrete: true, skipTransforms: true } as const;

/** Root shared type name and binding id: the client's CollaborationPlugin uses the same. */
export const ROOT_NAME = 'root';

export function createNotesEditor(): LexicalEditor {
  return createHeadlessEditor({
    namespace: 'quorum-server',
    nodes: [...NOTE_NODES],
    onError: (error) => {
      throw error;
    },
  });
}

/** The server publishes no presence: an inert provider whose awareness has no local state. */
function silentProvider(): Provider {
  const awareness = {
    getLocalState: () => null,
    getStates: () => new Map(),
    on: () => {},
    off: () => {},
    setLocalState: () => {},
    setLocalStateField: () => {},
  };
  return {
    // Lexical's awareness type is stricter than any real provider's (shared/notes/README.md).
    awareness: awareness as unknown as Provider['awareness'],
    connect: () => {},
    disconnect: () => {},
    on: () => {},
    off: () => {},
  };
}

export interface BoundEditor {
  editor: LexicalEditor;
  doc: Y.Doc;
  binding: Binding;
  /** Applies pending Yjs → Lexical work so that reads see the document's current state. */
  flush(): void;
  dispose(): void;
}

/** Binds before any content arrives: a binding learns about content only through Yjs events. */
function bind(doc: Y.Doc, twoWay: boolean): BoundEditor {
  const editor = createNotesEditor();
  const provider = silentProvider();
  const binding: Binding = createBinding(editor, provider, ROOT_NAME, doc, new Map([[ROOT_NAME, doc]]));
  const root = binding.root.getSharedType();
  const onEvents = (events: Array<Y.YEvent<Y.AbstractType<unknown>>>, transaction: Y.Transaction): void => {
    if (transaction.origin === binding) return;
    // @lexical/yjs types the events as YText events; these are the root's deep events.
    syncYjsChangesToLexical(binding, provider, events as unknown as Parameters<typeof syncYjsChangesToLexical>[2], false);
  };
  root.observeDeep(onEvents);
  const removeListener = twoWay
    ? editor.registerUpdateListener(({ prevEditorState, editorState, dirtyElements, dirtyLeaves, normalizedNodes, tags }) => {
        syncLexicalUpdateToYjs(binding, provider, prevEditorState, editorState, dirtyElements, dirtyLeaves, normalizedNodes, tags);
      })
    : () => {};
  // Never run node transforms here: e.g. ListNode's merges adjacent lists, which would make a
  // reader's tree differ from its document (and a writer write that merge into the live one).
  const flush = (): void => editor.update(() => {}, { discrete: true, skipTransforms: true });
  return {
    editor,
    doc,
    binding,
    flush,
    dispose() {
      removeListener();
      root.unobserveDeep(onEvents);
    },
  };
}

/**
 * Binds a headless editor to `doc`, which must still be empty (connect a provider afterwards):
 * one way reads only, both ways also writes the editor's edits into the doc.
 */
export function bindDocument(doc: Y.Doc, { twoWay }: { twoWay: boolean }): BoundEditor {
  if (doc.get(ROOT_NAME, Y.XmlText).length > 0) throw new Error('bindDocument needs an empty document');
  return bind(doc, twoWay);
}

/** A reader over an empty doc; feed it updates with `Y.applyUpdate(reader.doc, update)` then `flush()`. */
export function createReader(): BoundEditor {
  return bind(new Y.Doc(), false);
}

/**
 * A writer over a scratch copy holding `state`. Edit with `editor.update(fn, SERVER_EDIT)`, then
 * `diff()` gives the update to apply to the live document.
 */
export function createWriter(state: Uint8Array | null): BoundEditor & { diff(): Uint8Array; changed(): boolean } {
  const doc = newDoc();
  const bound = bind(doc, true);
  if (state) Y.applyUpdate(doc, state);
  bound.flush();
  const before = Y.encodeStateVector(doc);
  return {
    ...bound,
    diff: () => Y.encodeStateAsUpdate(doc, before),
    changed: () => !sameVector(before, Y.encodeStateVector(doc)),
  };
}

function sameVector(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}
