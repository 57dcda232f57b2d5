// Undo takes back your characters, never the text node they started; and the editor's clean-ups
// of the text nodes it leaves are nobody's edit.
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
// That removal (and a merge of two text nodes, the other clean-up an undo leads to) is written to
// the document by the editor, as an edit of its own, and the undo manager recorded it as one: an
// edit of one's own empties the redo stack, so Ctrl+Shift+Z after undoing words typed into an
// empty line did nothing, and others' pages took a step into their own history that undid
// nothing visible. Such a clean-up, a transaction that only deletes text node markers, is now not
// recorded; after this page's own undo or redo it joins the step it followed, so that redoing
// that step brings the markers back with the characters.
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
  // A text node's marker stays; another node's (a line break, a mention) holds no one else's text.
  if (type instanceof Y.Map) return markerType(type) !== 'text';
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
 * someone else's change (deleting "dangling text"), which are nobody's edit to take back. Nor
 * does it record the editor's removals and joins of text nodes (above).
 */
export function filterUndo(undoManager: Y.UndoManager): void {
  undoManager.deleteFilter = keepsTextNodes;
  undoManager.trackedOrigins.delete(null);
  if (cleaning.has(undoManager)) return;
  cleaning.add(undoManager);
  const capture = undoManager.captureTransaction;
  /** The stack the last undo or redo pushed its step onto, until the next edit. */
  let justMoved: 'undo' | 'redo' | null = null;
  // Known as the undo's transaction ends, before anything that reacts to the undo can write.
  undoManager.on('stack-item-added', ({ origin, type }: { origin: unknown; type: 'undo' | 'redo' }) => {
    justMoved = origin === undoManager ? type : null;
  });
  undoManager.on('stack-item-updated', () => {
    justMoved = null;
  });
  undoManager.captureTransaction = (transaction) => {
    if (!capture(transaction)) return false;
    if (!undoManager.trackedOrigins.has(transaction.origin) || !onlyDeletesTextMarkers(transaction)) return true;
    const stack = justMoved === 'redo' ? undoManager.redoStack : justMoved === 'undo' ? undoManager.undoStack : [];
    const step = stack[stack.length - 1];
    if (step) {
      step.deletions = Y.mergeDeleteSets([step.deletions, transaction.deleteSet]);
      // Kept from garbage collection, as the undo manager keeps what its steps delete.
      Y.iterateDeletedStructs(transaction, transaction.deleteSet, (struct) => {
        for (let item: Y.Item | null = struct instanceof Y.Item ? struct : null; item !== null && !item.keep; item = item.parent instanceof Y.AbstractType ? item.parent._item : null) item.keep = true;
      });
    }
    return false;
  };
}

const cleaning = new WeakSet<Y.UndoManager>();

/** The value of a text node marker's `__type` (a deleted marker's too, until it is collected). */
function markerType(marker: Y.Map<unknown>): unknown {
  const entry = marker._map.get('__type');
  return entry?.content.getContent().at(-1);
}

/**
 * Whether a transaction inserted nothing and deleted only text node markers (with their
 * properties): Lexical removing an emptied text node, or joining two.
 */
function onlyDeletesTextMarkers(transaction: Y.Transaction): boolean {
  for (const [client, clock] of transaction.afterState) if ((transaction.beforeState.get(client) ?? 0) !== clock) return false;
  let markers = 0;
  let other = false;
  Y.iterateDeletedStructs(transaction, transaction.deleteSet, (struct) => {
    if (!(struct instanceof Y.Item)) other = true;
    else if (struct.content instanceof Y.ContentType && struct.content.type instanceof Y.Map && markerType(struct.content.type) === 'text') markers++;
    else if (!(struct.parent instanceof Y.Map)) other = true;
  });
  return markers > 0 && !other;
}

/** Where @lexical/react publishes the collaboration undo manager on the editor. */
const COLLAB_UNDO_MANAGER = Symbol.for('@lexical/yjs/UndoManager');

/** The editor's collaboration undo manager, once the collaboration plugin has made it. */
export function collabUndoManager(editor: LexicalEditor): Y.UndoManager | undefined {
  return (editor as unknown as Record<symbol, Y.UndoManager | undefined>)[COLLAB_UNDO_MANAGER];
}
