// Carries a notetaker's caret, and the keyboard focus, across a rebuild of the editor.
//
// When the drift guard rebuilds the notes editor (DriftGuardPlugin), the page mounts a fresh
// editor: without this, the caret is gone and the notes lose the focus, so a notetaker typing
// without looking at the screen (watching the speaker) types into nothing until they click. The
// caret is taken where @lexical/yjs keeps it for the others to see: relative positions in
// awareness, anchored to characters of the document rather than to Lexical's node keys, so they
// mean the same spot in the fresh editor's copy. It is put back once that copy holds the
// characters (its first load brings them: the local copy, or the server's), and the notes are
// focused again if they had the focus.
import { $createRangeSelection, $getNodeByKey, $getRoot, $isElementNode, $isTextNode, $setSelection, type LexicalEditor, type NodeKey } from 'lexical';
import { $getAnchorAndFocusForUserState, type SyncCursorPositionsFn, type UserState } from '@lexical/yjs';
import type { Awareness } from 'y-protocols/awareness';
import type { RelativePosition } from 'yjs';

export interface CaretCarry {
  /** The notes had the keyboard focus. */
  focused: boolean;
  anchorPos: RelativePosition | null;
  focusPos: RelativePosition | null;
}

/** The editor's caret as its binding last published it, and whether the notes have the focus. */
export function captureCaret(editor: LexicalEditor, awareness: Awareness): CaretCarry {
  const root = editor.getRootElement();
  const state = awareness.getLocalState();
  return {
    focused: root !== null && root.contains(document.activeElement),
    anchorPos: (state?.anchorPos as RelativePosition | null | undefined) ?? null,
    focusPos: (state?.focusPos as RelativePosition | null | undefined) ?? null,
  };
}

/**
 * Puts the carried caret into the binding's editor once it shows the notes, and focuses the notes
 * if they had the focus. Returns whether it is done (false: no notes shown yet, try again).
 */
export function restoreCaret(binding: Parameters<SyncCursorPositionsFn>[0], carry: CaretCarry): boolean {
  if (carry.anchorPos === null || carry.focusPos === null) {
    if (carry.focused) binding.editor.focus();
    return true;
  }
  let placed = false;
  let loaded = false;
  binding.editor.update(
    () => {
      loaded = $getRoot().getChildrenSize() > 0;
      placed = $placeCaret(binding, carry);
    },
    { discrete: true },
  );
  // Notes that arrived without the caret's characters (typed an instant before the rebuild, not
  // yet in the local copy) keep the focus at least; the caret is not chased through later changes.
  if ((placed || loaded) && carry.focused) binding.editor.focus();
  return placed || loaded;
}

/** Sets the selection to a caret kept as relative positions; false when they name no node shown. */
export function $placeCaret(binding: Parameters<SyncCursorPositionsFn>[0], caret: { anchorPos: RelativePosition | null; focusPos: RelativePosition | null }): boolean {
  if (caret.anchorPos === null || caret.focusPos === null) return false;
  const { anchorKey, anchorOffset, focusKey, focusOffset } = $getAnchorAndFocusForUserState(binding, caret as unknown as UserState);
  const anchor = $point(anchorKey, anchorOffset);
  const focus = $point(focusKey, focusOffset);
  if (!anchor || !focus) return false;
  const selection = $createRangeSelection();
  selection.anchor.set(...anchor);
  selection.focus.set(...focus);
  $setSelection(selection);
  return true;
}

/** A selection point at a node and offset; beside the node, in its parent, when it holds no caret (a line break). */
function $point(key: NodeKey | null, offset: number): [NodeKey, number, 'element' | 'text'] | null {
  const node = key === null ? null : $getNodeByKey(key);
  if (!node) return null;
  if ($isTextNode(node)) return [node.getKey(), offset, 'text'];
  if ($isElementNode(node)) return [node.getKey(), offset, 'element'];
  const parent = node.getParent();
  return parent ? [parent.getKey(), node.getIndexWithinParent(), 'element'] : null;
}
