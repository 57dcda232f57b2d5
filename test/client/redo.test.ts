// Redo gives back what an undo took, when the undo emptied a text node; and the caret goes to
// the change (client/editor/undo-caret.ts).
//
// The undo filter (client/editor/undo-filter.ts) keeps every text node marker an undone edit made,
// in case someone else is typing after it. An undo of words typed into a new text node (an empty
// line, a bold word in the middle of a line) so left an empty text node, which the editor then
// removed and wrote to the document as an edit of its own; any edit of one's own empties the redo
// stack, so Ctrl+Shift+Z did nothing, on every page, after the commonest undo there is. Such
// clean-ups are no longer recorded as edits: they join the undo they followed. And the undo took
// no line break, which is no text node.
import { afterEach, expect, test } from 'vitest';
import * as Y from 'yjs';
import { $createParagraphNode, $createTextNode, $getRoot, $getSelection, $isRangeSelection, REDO_COMMAND, UNDO_COMMAND, type ElementNode, type TextNode } from 'lexical';
import { blockTexts, Hub, showsItsDocument, type Peer } from '../helpers/lexical-peers.js';
import { readDocument } from '../server/notes-support.js';

let hub: Hub | null = null;
afterEach(() => {
  hub?.dispose();
  hub = null;
});

const texts = (doc: Y.Doc): string[] => readDocument(Y.encodeStateAsUpdate(doc)).map((block) => block.text);

/** Hub and two peers over two lines, the second empty; Ann's history starts after the joins. */
function twoLines(): { ann: Peer; ben: Peer } {
  hub = Hub.written(() => $getRoot().append($createParagraphNode().append($createTextNode('Budget review')), $createParagraphNode()));
  const ann = hub.join('ann');
  const ben = hub.join('ben');
  hub.settle();
  ann.undoManager.clear();
  return { ann, ben };
}

function undoThenRedo(ann: Peer, ben: Peer, before: string[], after: string[]): void {
  hub!.settle();
  expect(texts(hub!.doc)).toEqual(after);
  ann.editor.dispatchCommand(UNDO_COMMAND, undefined);
  hub!.settle();
  expect(texts(hub!.doc), 'after the undo').toEqual(before);
  expect(ann.undoManager.redoStack.length, 'something to redo').toBeGreaterThan(0);
  ann.editor.dispatchCommand(REDO_COMMAND, undefined);
  hub!.settle();
  expect(texts(hub!.doc), 'after the redo').toEqual(after);
  for (const peer of [ann, ben]) {
    expect(blockTexts(peer.editor), peer.name).toEqual(after);
    expect(showsItsDocument(peer), `${peer.name} shows its document`).toBe(true);
  }
}

test('words typed into an empty line come back with a redo', () => {
  const { ann, ben } = twoLines();
  ann.editor.update(() => ($getRoot().getLastChild() as ElementNode).selectEnd().insertText('numbers by Friday'), { discrete: true });
  undoThenRedo(ann, ben, ['Budget review', ''], ['Budget review', 'numbers by Friday']);
});

test('a bold word typed into the middle of a line comes back with a redo, and the line is one text again after the undo', () => {
  const { ann, ben } = twoLines();
  ann.editor.update(
    () => {
      const text = ($getRoot().getFirstChild() as ElementNode).getFirstChild() as TextNode;
      const selection = text.select('Budget'.length, 'Budget'.length);
      selection.toggleFormat('bold');
      selection.insertText(' 2021');
    },
    { discrete: true },
  );
  undoThenRedo(ann, ben, ['Budget review', ''], ['Budget 2021 review', '']);
  ann.editor.dispatchCommand(UNDO_COMMAND, undefined);
  hub!.settle();
  expect(ann.editor.getEditorState().read(() => ($getRoot().getFirstChild() as ElementNode).getChildrenSize())).toBe(1);
});

test('a line break and the words after it come back with a redo; the undo takes the break too', () => {
  const { ann, ben } = twoLines();
  ann.editor.update(
    () => {
      const selection = ($getRoot().getFirstChild() as ElementNode).selectEnd();
      selection.insertLineBreak();
      selection.insertText('then the plan');
    },
    { discrete: true },
  );
  undoThenRedo(ann, ben, ['Budget review', ''], ['Budget review\nthen the plan', '']);
});

test("an undo keeps the marker of a text node a colleague typed into, and the colleague's words", () => {
  const { ann, ben } = twoLines();
  ann.editor.update(() => ($getRoot().getLastChild() as ElementNode).selectEnd().insertText('numbers'), { discrete: true });
  hub!.settle();
  ben.editor.update(() => ($getRoot().getLastChild() as ElementNode).selectEnd().insertText(' by Friday'), { discrete: true });
  hub!.settle();
  ann.editor.dispatchCommand(UNDO_COMMAND, undefined);
  hub!.settle();
  expect(texts(hub!.doc)).toEqual(['Budget review', ' by Friday']);
  for (const peer of [ann, ben]) {
    expect(blockTexts(peer.editor), peer.name).toEqual(['Budget review', ' by Friday']);
    expect(showsItsDocument(peer), `${peer.name} shows its document`).toBe(true);
  }
});

test('a line made bold whole is plain again after an undo, and bold after a redo', () => {
  const { ann, ben } = twoLines();
  ann.editor.update(
    () => {
      const text = ($getRoot().getFirstChild() as ElementNode).getFirstChild() as TextNode;
      text.select(0, text.getTextContentSize()).formatText('bold');
    },
    { discrete: true },
  );
  const bold = (peer: Peer): boolean => peer.editor.getEditorState().read(() => (($getRoot().getFirstChild() as ElementNode).getFirstChild() as TextNode).hasFormat('bold'));
  hub!.settle();
  expect([bold(ann), bold(ben)]).toEqual([true, true]);
  ann.editor.dispatchCommand(UNDO_COMMAND, undefined);
  hub!.settle();
  expect([bold(ann), bold(ben)], 'after the undo').toEqual([false, false]);
  ann.editor.dispatchCommand(REDO_COMMAND, undefined);
  hub!.settle();
  expect([bold(ann), bold(ben)], 'after the redo').toEqual([true, true]);
});


test('the caret goes back before the words an undo takes, and after the words a redo brings back', () => {
  const { ann, ben } = twoLines();
  const typeHere = (text: string): void =>
    ann.editor.update(
      () => {
        const selection = $getSelection();
        if (!$isRangeSelection(selection)) throw new Error('no caret');
        selection.insertText(text);
      },
      { discrete: true },
    );
  // The caret in the empty second line (a step of its own), and words typed there.
  ann.editor.update(() => ($getRoot().getLastChild() as ElementNode).selectEnd(), { discrete: true });
  typeHere('numbers by Friday');
  hub!.settle();
  // Ann clicks into the first line and presses Ctrl+Z there: the caret goes back to the second.
  ann.editor.update(() => ($getRoot().getFirstChild() as ElementNode).selectStart(), { discrete: true });
  ann.editor.dispatchCommand(UNDO_COMMAND, undefined);
  hub!.settle();
  typeHere('Sales ');
  hub!.settle();
  expect(texts(hub!.doc)).toEqual(['Budget review', 'Sales ']);

  // Undone and redone, the caret is after the words.
  ann.undoManager.stopCapturing();
  ann.editor.dispatchCommand(UNDO_COMMAND, undefined);
  hub!.settle();
  ann.editor.update(() => ($getRoot().getFirstChild() as ElementNode).selectStart(), { discrete: true });
  ann.editor.dispatchCommand(REDO_COMMAND, undefined);
  hub!.settle();
  typeHere('and on');
  hub!.settle();
  expect(texts(hub!.doc)).toEqual(['Budget review', 'Sales and on']);
  expect(blockTexts(ben.editor)).toEqual(['Budget review', 'Sales and on']);
});
