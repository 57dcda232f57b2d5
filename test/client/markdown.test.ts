// Markdown's tables on the page (client/editor/markdown.ts). A pipe row becomes a table
// when its notetaker presses Enter at its end: the line is deleted and its cells written into a
// new table. Another notetaker typing at the end of that line at that moment keeps every letter,
// on a line of its own under the table, and every editor ends equal to the document. Text pasted
// with a GFM table in it brings the table at the top level of the notes wherever the caret is,
// the lines around it as lines.
import { afterEach, expect, test } from 'vitest';
import { $createParagraphNode, $createTextNode, $getRoot, $getSelection, $isRangeSelection, $isTextNode, type ElementNode } from 'lexical';
import { $createListItemNode, $createListNode } from '@lexical/list';
import { $createHeadingNode } from '@lexical/rich-text';
import { $isLinkNode } from '@lexical/link';
import { $findCellNode, $isTableNode } from '@lexical/table';
import { $tableOfRows } from '../../shared/notes/tables.js';
import { $pasteMarkdown, $tableFromTypedRow } from '../../client/editor/markdown.js';
import { copied } from '../helpers/clipboard.js';
import { blockTexts, Hub, outlineOf, seededRandom, showsItsDocument, type Peer } from '../helpers/lexical-peers.js';

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

const SEEDS = Array.from({ length: 60 }, (_, i) => i + 1);
const LINES = {
  line: () => $createParagraphNode().append($createTextNode('| Topic | Owner |')),
  // The line after an action is a check-list item until Enter is pressed on it empty.
  'check-list item': () => $createListNode('check').append($createListItemNode(false).append($createTextNode('| Topic | Owner |'))),
};
test.each(SEEDS.flatMap((seed) => (Object.keys(LINES) as (keyof typeof LINES)[]).map((kind) => [seed, kind] as const)))('seed %i, a %s: Enter makes the pipe row a table while another notetaker types at its end; nothing is lost', (seed, kind) => {
  hub = Hub.written(() => $getRoot().append($createHeadingNode('h3').append($createTextNode('09:00 WELCOME')), LINES[kind]()));
  const h = hub;
  const [ann, ben] = ['ann', 'ben'].map((name) => h.join(name, { rescue: true })) as [Peer, Peer];
  for (const peer of [ann, ben]) update(peer, () => ($getRoot().getLastDescendant()!.getParent() as ElementNode).selectEnd());
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

/** What a Markdown editor puts on the clipboard: text only. */
test('a GFM table pasted into the middle of a list item splits the list and stands at the top level, the lines around it as lines', () => {
  hub = Hub.written(() =>
    $getRoot().append(
      $createHeadingNode('h3').append($createTextNode('09:00 WELCOME')),
      $createListNode('bullet').append($createListItemNode().append($createTextNode('first item')), $createListItemNode().append($createTextNode('second'))),
    ),
  );
  const ann = hub.join('ann');
  let pasted = false;
  update(ann, () => {
    const text = (($getRoot().getLastChild() as ElementNode).getFirstChild() as ElementNode).getFirstChild();
    if ($isTextNode(text)) text.select(5, 5);
    pasted = $pasteMarkdown(copied('Budget:\n| Site | Owner |\n|---|---|\n| Summit | RHL |\nDone.\n'));
  });
  hub.settle();
  expect(pasted).toBe(true);
  expect(outlineOf(ann.editor)).toBe(
    [
      'root',
      '  heading',
      '    "09:00 WELCOME"',
      '  list:bullet',
      '    listitem',
      '      "firstBudget:"',
      '  table',
      ...[['Site', 'Owner'], ['Summit', 'RHL']].flatMap((row) => ['    tablerow', ...row.flatMap((cell) => ['      tablecell', '        paragraph', `          "${cell}"`])]),
      '  paragraph',
      '    "Done. item"',
      '  list:bullet',
      '    listitem',
      '      "second"',
    ].join('\n'),
  );
  expect(showsItsDocument(ann)).toBe(true);
});

test('text without a GFM table, or pasted into a table, is left to the editor’s own paste', () => {
  hub = Hub.written(() => $getRoot().append($createParagraphNode().append($createTextNode('abc')), $tableOfRows({ rows: [['Site', 'Owner']], header: true })));
  const ann = hub.join('ann');
  let pasted = true;
  update(ann, () => {
    ($getRoot().getFirstChild() as ElementNode).selectEnd();
    pasted = $pasteMarkdown(copied('| a | b |\n| c | d |'));
  });
  expect(pasted).toBe(false);
  // A table in a cell is not what anyone means: the cell takes the text as lines.
  update(ann, () => {
    ($getRoot().getLastChild() as ElementNode).selectEnd();
    pasted = $pasteMarkdown(copied('| a | b |\n|---|---|'));
  });
  expect(pasted).toBe(false);
  update(ann, () => {
    pasted = $pasteMarkdown(copied('| a |\n|---|', '<table><tr><td>a</td></tr></table>'));
  });
  expect(pasted).toBe(false);
});

test('a pipe row in an item of a top-level list becomes a table at the top level, the list split around it; in a nested list it stays text', () => {
  const row = () => $createListItemNode(false).append($createTextNode('| Site | Owner |'));
  hub = Hub.written(() =>
    $getRoot().append(
      $createHeadingNode('h3').append($createTextNode('09:00 WELCOME')),
      $createListNode('check').append($createListItemNode(false).append($createTextNode('RHL to send the plan')), row(), $createListItemNode(false).append($createTextNode('KT to review'))),
      $createListNode('bullet').append($createListItemNode().append($createTextNode('top')), $createListItemNode().append($createListNode('bullet').append(row()))),
    ),
  );
  const ann = hub.join('ann');
  const enterAtEndOf = (index: number) => {
    let made = false;
    update(ann, () => {
      const rows = $getRoot()
        .getAllTextNodes()
        .filter((text) => text.getTextContent() === '| Site | Owner |');
      rows[index]!.selectEnd();
      made = $tableFromTypedRow();
    });
    return made;
  };
  expect(enterAtEndOf(1)).toBe(false);
  expect(enterAtEndOf(0)).toBe(true);
  hub.settle();
  const cellLines = (rows: string[][]) => rows.flatMap((cells) => ['    tablerow', ...cells.flatMap((cell) => ['      tablecell', '        paragraph', ...(cell ? [`          "${cell}"`] : [])])]);
  expect(outlineOf(ann.editor)).toBe(
    [
      'root',
      '  heading',
      '    "09:00 WELCOME"',
      '  list:check',
      '    listitem[ ]',
      '      "RHL to send the plan"',
      '  table',
      ...cellLines([
        ['Site', 'Owner'],
        ['', ''],
      ]),
      '  paragraph',
      '  list:check',
      '    listitem[ ]',
      '      "KT to review"',
      '  list:bullet',
      '    listitem',
      '      "top"',
      '    listitem',
      '      list:bullet',
      '        listitem',
      '          "| Site | Owner |"',
    ].join('\n'),
  );
  // The caret is in the first cell of the row to fill.
  const caret = ann.editor.getEditorState().read(() => {
    const selection = $getSelection();
    const cell = $isRangeSelection(selection) ? $findCellNode(selection.anchor.getNode()) : null;
    return cell ? [cell.getParentOrThrow().getIndexWithinParent(), cell.getIndexWithinParent()] : null;
  });
  expect(caret).toEqual([1, 0]);
  expect(showsItsDocument(ann)).toBe(true);
});

test('a pasted table’s inline Markdown is formatting: bold, italics, code and links in its cells', () => {
  hub = Hub.written(() => $getRoot().append($createParagraphNode()));
  const ann = hub.join('ann');
  update(ann, () => {
    ($getRoot().getFirstChild() as ElementNode).selectEnd();
    $pasteMarkdown(copied('| **Site** | Owner |\n|---|---|\n| `Summit` *now* | [RHL](https://example.org/rhl) |\n| plain | 2 * 3 |\n'));
  });
  hub.settle();
  const cells = ann.editor.getEditorState().read(() => {
    const table = $getRoot().getChildren().find($isTableNode)!;
    return table.getChildren().map((row) =>
      (row as ElementNode).getChildren().map((cell) =>
        (cell as ElementNode)
          .getChildren()
          .flatMap((line) => (line as ElementNode).getChildren())
          .map((node) => {
            if ($isLinkNode(node)) return `link(${node.getURL()}):${node.getTextContent()}`;
            const formats = $isTextNode(node) ? (['bold', 'italic', 'code'] as const).filter((format) => node.hasFormat(format)) : [];
            return `${formats.join('+')}${formats.length > 0 ? ':' : ''}${node.getTextContent()}`;
          })
          .join(' | '),
      ),
    );
  });
  expect(cells).toEqual([
    ['bold:Site', 'Owner'],
    ['code:Summit |   | italic:now', 'link(https://example.org/rhl):RHL'],
    ['plain', '2 * 3'],
  ]);
  expect(showsItsDocument(ann)).toBe(true);
});

test('addresses in a pasted table and in the lines around it are links', () => {
  hub = Hub.written(() => $getRoot().append($createParagraphNode()));
  const ann = hub.join('ann');
  update(ann, () => {
    ($getRoot().getFirstChild() as ElementNode).selectEnd();
    $pasteMarkdown(copied('Decks at https://example.org/decks.\n| Deck | Link |\n|---|---|\n| Gen3 | https://example.org/gen3 |\n| **Plan** | see www.example.org/p_q |\n'));
  });
  hub.settle();
  const links = ann.editor.getEditorState().read(() =>
    $getRoot()
      .getAllTextNodes()
      .map((node) => node.getParent())
      .filter($isLinkNode)
      .map((link) => `${link.getTextContent()} → ${link.getURL()}`),
  );
  expect(links).toEqual(['https://example.org/decks → https://example.org/decks', 'https://example.org/gen3 → https://example.org/gen3', 'www.example.org/p_q → https://www.example.org/p_q']);
  expect(showsItsDocument(ann)).toBe(true);
});

const NOTES_IN_MARKDOWN = [
  'RHL: budget review',
  '',
  '- Burn rates are **on track**',
  '  - see [the sheet](https://docs.example.org/s)',
  '- [ ] Fritz Mueller Create a shared sheet by 15 Jan 2021',
  '- [x] KT sent the plan',
  '1. first',
  '2. second',
  '## Decisions',
  '> from the last meeting',
].join('\n');

/** Pastes `data` at the end of the notes' empty line; returns whether the Markdown paste took it, and the notes' outline. */
function pasteIntoEmptyLine(data: DataTransfer): { pasted: boolean; outline: string } {
  hub = Hub.written(() => $getRoot().append($createHeadingNode('h3').append($createTextNode('09:00 WELCOME')), $createParagraphNode()));
  const ann = hub.join('ann');
  let pasted = false;
  update(ann, () => {
    ($getRoot().getLastChild() as ElementNode).selectEnd();
    pasted = $pasteMarkdown(data);
  });
  hub.settle();
  expect(showsItsDocument(ann)).toBe(true);
  return { pasted, outline: outlineOf(ann.editor) };
}

test('Markdown notes pasted as text come in as typing them would make them: lists, tasks, headings, quotes, bold, links', () => {
  const { pasted, outline } = pasteIntoEmptyLine(copied(NOTES_IN_MARKDOWN));
  expect(pasted).toBe(true);
  expect(outline).toBe(
    [
      'root',
      '  heading',
      '    "09:00 WELCOME"',
      '  paragraph',
      '    "RHL: budget review"',
      '  list:bullet',
      '    listitem',
      '      "Burn rates are "',
      '      "on track"',
      '    listitem',
      '      list:bullet',
      '        listitem',
      '          "see "',
      '          link',
      '            "the sheet"',
      '  list:check',
      '    listitem[ ]',
      '      "Fritz Mueller Create a shared sheet by 15 Jan 2021"',
      '    listitem[x]',
      '      "KT sent the plan"',
      '  list:number',
      '    listitem',
      '      "first"',
      '    listitem',
      '      "second"',
      '  heading',
      '    "Decisions"',
      '  quote',
      '    "from the last meeting"',
    ].join('\n'),
  );
});

test("a code editor's coloured copy is its text; a rendered page's copy, a single line, or lines with no Markdown block are the editor's own paste", () => {
  const coloured = NOTES_IN_MARKDOWN.split('\n').map((line) => `<div><span style="color:#569cd6">${line}</span></div>`).join('');
  expect(pasteIntoEmptyLine(copied(NOTES_IN_MARKDOWN, `<meta charset="utf-8"><div style="font-family:monospace">${coloured}</div>`)).pasted).toBe(true);
  expect(pasteIntoEmptyLine(copied(NOTES_IN_MARKDOWN, '<p>RHL: budget review</p><ul><li>Burn rates are <b>on track</b></li></ul>')).pasted).toBe(false);
  expect(pasteIntoEmptyLine(copied('- one item')).pasted).toBe(false);
  expect(pasteIntoEmptyLine(copied('RHL: budget **review**\nKT: agreed')).pasted).toBe(false);
});
