// A text node's marker (the Y.Map before its characters) can come back from an undo without its
// properties: Yjs's undo re-creates a deleted map as a fresh, empty one and puts back only the
// properties it may (seen in the seeded concurrency test, seed 164 of 300). Lexical's binding
// skipped a marker with no type without counting it, so every index after it in that paragraph
// was off by one: an editor opened on such a document showed one letter more than the document
// held, and the change it wrote back (joining two text nodes) deleted a letter someone had typed.
// Patched (scripts/patch-lexical-yjs.mjs, 5): an editor that meets such a marker removes it from
// the shared type where it is (it holds nothing anyone can see); what follows it is, for Yjs as for
// the binding, part of the text node before it.
import { afterEach, expect, test } from 'vitest';
import * as Y from 'yjs';
import { $createParagraphNode, $createTextNode, $getRoot } from 'lexical';
import { createWriter } from '../../shared/notes/headless.js';
import { blockTexts, Hub, showsItsDocument } from '../helpers/lexical-peers.js';
import { readDocument } from '../server/notes-support.js';

let hub: Hub | null = null;
afterEach(() => {
  hub?.dispose();
  hub = null;
});

test('a text node marker that lost its properties to an undo is removed, and every editor keeps agreeing with the document', () => {
  const writer = createWriter(null);
  writer.editor.update(() => $getRoot().append($createParagraphNode().append($createTextNode('gg'), $createTextNode('gcbef'))), { discrete: true });
  const doc = new Y.Doc();
  Y.applyUpdate(doc, writer.diff());
  writer.dispose();
  // [empty map, text map, 'gg', text map, 'gcbef']: the shape the undo left.
  const paragraph = doc.get('root', Y.XmlText).toDelta()[0].insert as Y.XmlText;
  paragraph.insertEmbed(0, new Y.Map());
  expect(readDocument(Y.encodeStateAsUpdate(doc)).map((b) => b.text)).toEqual(['gggcbef']);

  hub = new Hub(Y.encodeStateAsUpdate(doc));
  const ann = hub.join('ann');
  const ben = hub.join('ben');
  hub.settle();
  // Ann types at the end of the line once the editors have written what they write on opening.
  ann.editor.update(() => ($getRoot().getFirstChild() as ReturnType<typeof $createParagraphNode>).selectEnd().insertText(' done'), { discrete: true });
  hub.settle();
  const fay = hub.join('fay', { readOnly: true });
  hub.settle();
  expect(readDocument(Y.encodeStateAsUpdate(hub.doc)).map((b) => b.text)).toEqual(['gggcbef done']);
  for (const peer of [ann, ben, fay]) {
    expect(blockTexts(peer.editor), peer.name).toEqual(['gggcbef done']);
    expect(showsItsDocument(peer), `${peer.name} shows its document`).toBe(true);
  }
});
