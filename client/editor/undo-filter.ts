// Undo takes back your characters, never the text node they started.
//
// In Lexical's Yjs document a text node is a marker (a Y.Map) followed by its characters, and the
// characters others type into that node follow the same marker. The collaboration undo deletes
// everything the undone edit created, the marker included, which leaves others' characters with
// no marker: Lexical's binding then deletes them as "dangling text" (from every editor, and at a
// wrong offset), and editors stop agreeing with their document (seen in the seeded concurrency
// test: two notetakers typing into a line the third had just started, the third pressing Ctrl+Z).
// With this filter the undo deletes only characters; an emptied text node is removed by Lexical's
// own normalisation, which merges what others typed into it into its neighbour instead.
import * as Y from 'yjs';

export function keepsTextNodes(item: Y.Item): boolean {
  if (item.parent instanceof Y.Map) return false;
  return !(item.content instanceof Y.ContentType && item.content.type instanceof Y.Map);
}

/**
 * Installs the filter on a collaboration undo manager (idempotent), and stops it recording
 * transactions without an origin: @lexical/react tracks them so that edits made around Lexical
 * can be undone, but here the only such writes are the binding's own clean-ups while it renders
 * someone else's change (deleting "dangling text"), which are nobody's edit to take back.
 */
export function keepTextNodesOnUndo(undoManager: Y.UndoManager): void {
  undoManager.deleteFilter = keepsTextNodes;
  undoManager.trackedOrigins.delete(null);
}

/** Where @lexical/react publishes the collaboration undo manager on the editor. */
export const COLLAB_UNDO_MANAGER = Symbol.for('@lexical/yjs/UndoManager');
