// Undo and redo put the caret where the change is, as word processors do.
//
// The collaboration undo changes the document only: the caret stayed where Ctrl+Z was pressed, or,
// when the undo took the characters it stood by, Lexical moved it to the end of the line before.
// A notetaker who undid a word and redid it then typed on somewhere else. Each step of the undo
// history now remembers the caret from before it was made: undoing a step puts the caret back
// there, and redoing it puts the caret where it was when the step was undone (the end of what it
// brings back). Carets are kept as @lexical/yjs publishes them in awareness, relative positions in
// the document, so they hold while others edit around them.
import type * as Y from 'yjs';
import type { Awareness } from 'y-protocols/awareness';
import type { SyncCursorPositionsFn } from '@lexical/yjs';
import { $placeCaret } from './caret-carry';

type Binding = Parameters<SyncCursorPositionsFn>[0];

interface Caret {
  anchorPos: Y.RelativePosition | null;
  focusPos: Y.RelativePosition | null;
}

/** The key of the caret in a step's meta. */
const CARET = Symbol('quorum:caret-before');

/**
 * Makes undo and redo through `undoManager` (the binding's) move the editor's caret to the change.
 * Returns the unregistering function.
 */
export function caretFollowsUndo(undoManager: Y.UndoManager, binding: Binding, awareness: Awareness): () => void {
  /** The caret just before the transaction now running, when it is one the history records. */
  let before: Caret | null = null;
  const onBefore = (transaction: Y.Transaction): void => {
    if (transaction.origin !== binding && transaction.origin !== undoManager) return;
    const state = awareness.getLocalState() as Partial<Caret> | null;
    before = { anchorPos: state?.anchorPos ?? null, focusPos: state?.focusPos ?? null };
  };
  // A step joined to the one before (typed within the capture time) keeps that one's caret.
  const onAdded = ({ stackItem }: { stackItem: { meta: Map<unknown, unknown> } }): void => {
    if (before && !stackItem.meta.has(CARET)) stackItem.meta.set(CARET, before);
  };
  const onPopped = ({ stackItem }: { stackItem: { meta: Map<unknown, unknown> } }): void => {
    const caret = stackItem.meta.get(CARET) as Caret | undefined;
    if (!caret || caret.anchorPos === null || caret.focusPos === null) return;
    // Published first: the binding places the local caret from awareness when it renders a change.
    const state = awareness.getLocalState();
    if (state) awareness.setLocalState({ ...state, anchorPos: caret.anchorPos, focusPos: caret.focusPos });
    binding.editor.update(() => void $placeCaret(binding, caret));
  };
  const doc = binding.doc;
  doc.on('beforeTransaction', onBefore);
  undoManager.on('stack-item-added', onAdded);
  undoManager.on('stack-item-popped', onPopped);
  return () => {
    doc.off('beforeTransaction', onBefore);
    undoManager.off('stack-item-added', onAdded);
    undoManager.off('stack-item-popped', onPopped);
  };
}

/** The binding an undo manager made by @lexical/yjs's createUndoManager records the edits of. */
export function bindingOf(undoManager: Y.UndoManager): Binding | null {
  for (const origin of undoManager.trackedOrigins) {
    if (origin !== undoManager && typeof origin === 'object' && origin !== null && 'collabNodeMap' in origin && 'editor' in origin) return origin as Binding;
  }
  return null;
}
