// A pipe row becomes a table when its notetaker presses Enter at its end (markdown-tables.ts):
// the line is deleted and its cells written into a new table. Another notetaker typing at the end
// of that line at that moment keeps every letter, on a line of its own under the table, and every
// editor ends equal to the document.
import { afterEach, expect, test } from 'vitest';
import { $createParagraphNode, $createTextNode, $getRoot, $getSelection, $isRangeSelection, type ElementNode } from 'lexical';
import { $createHeadingNode } from '@lexical/rich-text';
import { $isTableNode } from '@lexical/table';
import { $tableFromTypedRow } from '../../client/editor/markdown-tables.js';
import { blockTexts, Hub, seededRandom, showsItsDocument, type Peer } from '../helpers/lexical-peers.js';

let hub: Hub | null = null;
afterEach(() => {
  hub?.dispose();
  hub = null;
});

const update = (peer: Peer, fn: () => void) => peer.editor.update(fn, { discrete: true });

/** The table's rows of cell texts as a peer's editor shows them, or null when there is none. */
function tableOf(peer: Peer): string[][] | null {
  return peer.editor.getEditorState().read(() => {
    const table = $getRoot().getChildren().find($isTableNode);
    return table ? table.getChildren().map((row) => (row as ElementNode).getChildren().map((cell) => cell.getTextContent())) : null;
  });
}

test.each(Array.from({ length: 60 }, (_, i) => i + 1))('seed %i: Enter makes the pipe row a table while another notetaker types at its end; nothing is lost', (seed) => {
  hub = Hub.written(() => $getRoot().append($createHeadingNode('h3').append($createTextNode('09:00 WELCOME')), $createParagraphNode().append($createTextNode('| Topic | Owner |'))));
  const h = hub;
  const [ann, ben] = ['ann', 'ben'].map((name) => h.join(name, { rescue: true })) as [Peer, Peer];
  for (const peer of [ann, ben]) update(peer, () => ($getRoot().getLastChild() as ElementNode).selectEnd());
  const random = seededRandom(seed);
  const typed = ' Due |';
  // Ann presses Enter at the end of the row; Ben goes on typing there, his letters crossing her
  // change in flight for as long as the seed's deliveries say.
  let converted = false;
  update(ann, () => void (converted = $tableFromTypedRow()));
  for (const ch of typed) {
    update(ben, () => {
      const selection = $getSelection();
      if ($isRangeSelection(selection)) selection.insertText(ch);
    });
    h.now++;
    h.overdue(2);
    for (let steps = Math.floor(random() * 3); steps > 0; steps--) {
      const peer = random() < 0.5 ? ann : ben;
      if (random() < 0.5) h.send(peer);
      else h.deliver(peer);
    }
  }
  h.settle();
  expect(converted).toBe(true);
  const table = tableOf(ann);
  const shown = `ann: ${JSON.stringify(blockTexts(ann.editor))}\nben: ${JSON.stringify(blockTexts(ben.editor))}`;
  expect(table, shown).not.toBeNull();
  expect(tableOf(ben), shown).toEqual(table);
  expect(table, shown).toEqual([
    ['Topic', 'Owner'],
    ['', ''],
  ]);
  // Ben's letters went down with the line Ann's Enter replaced: they come back whole, on a line
  // of their own where it stood (client/collab/rescue.ts), under the table.
  const lines = blockTexts(ann.editor);
  expect(lines.slice(lines.lastIndexOf('') + 1), shown).toEqual([' Due |']);
  for (const peer of [ann, ben]) expect(showsItsDocument(peer), `${peer.name} shows its document\n${shown}`).toBe(true);
});
