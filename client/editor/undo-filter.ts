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
//
// Likewise a block (paragraph, heading, list item) this notetaker made stays when someone else
// has written in it since: undoing an Enter deleted the new line with everything a colleague had
// typed into it (in the seeded concurrency test, most of the words lost around an undo). The undo
// still takes back this notetaker's own characters in it, and keeps the block's properties (its
// type, indent) with it, so the colleague's words stay a line of the same kind.
import * as Y from 'yjs';
import type { LexicalEditor } from 'lexical';

export function keepsTextNodes(item: Y.Item): boolean {
  if (item.parent instanceof Y.Map) return false;
  const type = item.content instanceof Y.ContentType ? item.content.type : null;
  if (type instanceof Y.Map) return false;
  if (type instanceof Y.XmlText && holdsOthersWriting(type, item.id.client)) return false;
  // A block's property (a key of its own, beside its children).
  if (item.parentSub !== null && item.parent instanceof Y.XmlText && holdsOthersWriting(item.parent, item.id.client)) return false;
  return true;
}

/** Whether a block, or a block inside it, holds characters or blocks of a writer other than `own`. */
function holdsOthersWriting(block: Y.XmlText, own: number): boolean {
  for (let item = block._start; item !== null; item = item.right) {
    if (item.deleted) continue;
    const child = item.content instanceof Y.ContentType ? item.content.type : null;
    // A text node's marker is not writing: ours stay (above), and one alone holds no words.
    if (child instanceof Y.Map) continue;
    if (item.id.client !== own) return true;
    if (child instanceof Y.XmlText && holdsOthersWriting(child, own)) return true;
  }
  return false;
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
const COLLAB_UNDO_MANAGER = Symbol.for('@lexical/yjs/UndoManager');

/** The editor's collaboration undo manager, once the collaboration plugin has made it. */
export function collabUndoManager(editor: LexicalEditor): Y.UndoManager | undefined {
  return (editor as unknown as Record<symbol, Y.UndoManager | undefined>)[COLLAB_UNDO_MANAGER];
}
