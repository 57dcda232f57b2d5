// The incremental extractor (server/notes/extractor.ts) against a fresh read after every step:
// whatever the edits (typing in a line, Enter, deleting and moving blocks, nesting list items,
// editing agenda headings, ticking, pasting a copy of an action with its id), the table its passes build, applying
// only what each pass reports as changed or gone, equals what a fresh extractor reads from the
// whole document, and a keystroke inside a line re-reads only that line.
import { describe, expect, test } from 'vitest';
import * as Y from 'yjs';
import { $createParagraphNode, $createTextNode, $getRoot, $isElementNode, $isTextNode, type ElementNode, type LexicalNode } from 'lexical';
import { $createHeadingNode } from '@lexical/rich-text';
import { $createListItemNode, $createListNode, $isListItemNode } from '@lexical/list';
import { $createTableCellNode, $createTableNode, $createTableRowNode, $isTableNode } from '@lexical/table';
import { createWriter } from '../../shared/notes/headless.js';
import { $setAgendaItemId, $setAgendaKind } from '../../shared/notes/agenda-state.js';
import { $getActionId, $setActionId } from '../../shared/notes/action-id.js';
import { SessionExtractor, type ExtractContext, type ExtractedAction } from '../../server/notes/extractor.js';
import { seededRandom } from '../helpers/lexical-peers.js';

const context: ExtractContext = {
  attendees: [
    { name: 'Ann Lee', handle: 'AL' },
    { name: 'Ben Ode', handle: 'BO' },
  ],
  sessionDate: '2026-11-17',
  agendaItems: ['item-1', 'item-2'],
};

function edit(doc: Y.Doc, change: () => void): void {
  const writer = createWriter(Y.encodeStateAsUpdate(doc));
  writer.editor.update(change, { discrete: true });
  Y.applyUpdate(doc, writer.diff());
  writer.dispose();
}

const LINES = ['ACTION: @AL send the plan', 'a plain note', 'TODO: @BO check the numbers by Friday', 'DONE: @AL circulate', 'more discussion'];

function $blocks(): ElementNode[] {
  const out: ElementNode[] = [];
  const visit = (node: LexicalNode): void => {
    if (!$isElementNode(node)) return;
    if (node.getParent() !== null && (node.getParent() === $getRoot() || $isListItemNode(node))) out.push(node);
    for (const child of node.getChildren()) visit(child);
  };
  visit($getRoot());
  return out;
}

type Op = (random: () => number) => void;

const OPS: Array<[string, Op]> = [
  ['type into a line', (random) => {
    const texts = $blocks().flatMap((b) => b.getChildren().filter($isTextNode));
    const text = texts[Math.floor(random() * texts.length)];
    text?.setTextContent(`${text.getTextContent()}${'xyz'[Math.floor(random() * 3)]}`);
  }],
  ['retype a line (an action may stop being one, a note become one)', (random) => {
    const texts = $blocks().flatMap((b) => b.getChildren().filter($isTextNode));
    texts[Math.floor(random() * texts.length)]?.setTextContent(LINES[Math.floor(random() * LINES.length)]!);
  }],
  ['new line', (random) => {
    const blocks = $getRoot().getChildren();
    const line = $createParagraphNode().append($createTextNode(LINES[Math.floor(random() * LINES.length)]!));
    blocks[Math.floor(random() * blocks.length)]?.insertAfter(line);
  }],
  ['delete a line', (random) => {
    const blocks = $getRoot().getChildren();
    if (blocks.length > 4) blocks[Math.floor(random() * blocks.length)]!.remove();
  }],
  ['move a line', (random) => {
    const blocks = $getRoot().getChildren();
    const moved = blocks[Math.floor(random() * blocks.length)]!;
    const to = blocks[Math.floor(random() * blocks.length)]!;
    if (moved !== to) to.insertBefore(moved);
  }],
  ['join a line or list item into the one above (Backspace at its start)', (random) => {
    const blocks = $blocks().filter((b) => b.getType() === 'paragraph' || $isListItemNode(b));
    const block = blocks[Math.floor(random() * blocks.length)];
    const above = block?.getPreviousSibling();
    if (!block || !above || !$isElementNode(above) || above.getType() !== block.getType()) return;
    above.append(...block.getChildren());
    block.remove();
  }],
  ['add a list item', (random) => {
    const lists = $getRoot().getChildren().filter((n) => n.getType() === 'list') as ElementNode[];
    const list = lists[Math.floor(random() * lists.length)];
    list?.append($createListItemNode(false).append($createTextNode(LINES[Math.floor(random() * LINES.length)]!)));
  }],
  ['tick a check item', (random) => {
    const items = $blocks().filter($isListItemNode);
    const item = items[Math.floor(random() * items.length)];
    item?.setChecked(!item.getChecked());
  }],
  ['retitle an agenda heading', (random) => {
    const headings = $getRoot().getChildren().filter((n) => n.getType() === 'heading') as ElementNode[];
    const heading = headings[Math.floor(random() * headings.length)];
    if (heading) $setAgendaItemId(heading, random() < 0.5 ? 'item-1' : random() < 0.5 ? 'item-2' : 'not-an-item');
  }],
  ['paste a copy of an action line, id and all', (random) => {
    const actions = $getRoot().getChildren().filter((n) => $isElementNode(n) && $getActionId(n) !== null) as ElementNode[];
    const original = actions[Math.floor(random() * actions.length)];
    if (!original) return;
    const blocks = $getRoot().getChildren();
    const copy = $setActionId($createParagraphNode().append($createTextNode(original.getTextContent())), $getActionId(original));
    blocks[Math.floor(random() * blocks.length)]!.insertBefore(copy);
  }],
  ['insert a table, an action line in a cell', (random) => {
    const blocks = $getRoot().getChildren();
    const cell = (text: string) => $createTableCellNode().append($createParagraphNode().append($createTextNode(text)));
    const table = $createTableNode().append(
      $createTableRowNode().append(cell(LINES[Math.floor(random() * LINES.length)]!), cell('owner')),
      $createTableRowNode().append(cell('ACTION: @BO in a cell'), cell('')),
    );
    blocks[Math.floor(random() * blocks.length)]?.insertAfter(table);
  }],
  ['type into a table cell', (random) => {
    const texts = $getRoot().getChildren().filter($isTableNode).flatMap((table) => table.getAllTextNodes());
    const text = texts[Math.floor(random() * texts.length)];
    text?.setTextContent(`${text.getTextContent()}${'xyz'[Math.floor(random() * 3)]}`);
  }],
];

function freshRead(doc: Y.Doc): ExtractedAction[] {
  const copy = new Y.Doc();
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
  const extractor = new SessionExtractor(copy);
  const { all } = extractor.pass(context, new Set(), false);
  extractor.dispose();
  return all!;
}

const summary = (a: ExtractedAction): string => `${a.id}@${a.position} ${a.agendaItemId} ${a.done ? 'done' : 'open'} ${a.sourceText}`;

/** Random edits, `maxEdits` of them at most between two passes, holding the table equal to a fresh read after each pass. */
function fuzz(seed: number, maxEdits: number): void {
  const random = seededRandom(seed);
  const doc = new Y.Doc();
  edit(doc, () =>
    $getRoot().append(
      $setAgendaKind($setAgendaItemId($createHeadingNode('h3').append($createTextNode('09:00 First')), 'item-1'), 'item'),
      $createParagraphNode().append($createTextNode('ACTION: @AL first thing')),
      $createListNode('check').append($createListItemNode(false).append($createTextNode('@BO to call'))),
      $setAgendaKind($setAgendaItemId($createHeadingNode('h3').append($createTextNode('10:00 Second')), 'item-2'), 'item'),
      $createParagraphNode().append($createTextNode('notes')),
    ),
  );
  const extractor = new SessionExtractor(doc);
  const table = new Map<string, ExtractedAction>();
  const apply = (): void => {
    const result = extractor.pass(context);
    if (result.all) {
      table.clear();
      for (const a of result.all) table.set(a.id, a);
    }
    for (const a of result.changed) table.set(a.id, a);
    for (const id of result.gone) table.delete(id);
  };
  apply();
  const log: string[] = [];
  for (let step = 0; step < 60; step++) {
    // Several edits before a pass: changes in several stretches of the document at once.
    const edits = maxEdits === 1 ? 1 : 1 + Math.floor(random() * maxEdits);
    for (let e = 0; e < edits; e++) {
      const [name, op] = OPS[Math.floor(random() * OPS.length)]!;
      log.push(name);
      edit(doc, () => op(random));
    }
    apply();
    // The ids the pass wrote are themselves a change: one more pass sees the document settled.
    apply();
    const expected = freshRead(doc).map(summary).sort();
    expect([...table.values()].map(summary).sort(), `seed ${seed} after ${log.join(', ')}`).toEqual(expected);
  }
  extractor.dispose();
}

const seeds = (count: number): number[] => Array.from({ length: count }, (_, i) => i + 1);

describe('incremental extraction', () => {
  test.each(seeds(Number(process.env.EXTRACT_SEEDS ?? 12)))('seed %i: the table built from each pass’s changes equals a fresh read of the whole document', (seed) => {
    fuzz(seed, 1);
  });

  test.each(seeds(Number(process.env.EXTRACT_SEEDS ?? 12)))('seed %i, up to four edits between passes: the same', (seed) => {
    fuzz(seed, 4);
  });

  test('a keystroke inside a line re-reads that line only, in a long document', () => {
    const doc = new Y.Doc();
    edit(doc, () => $getRoot().append(...Array.from({ length: 2_000 }, (_, i) => $createParagraphNode().append($createTextNode(i % 20 === 0 ? `ACTION: @AL item ${i}` : `line ${i}`)))));
    const extractor = new SessionExtractor(doc);
    expect(extractor.pass(context).read).toBe(2_000);
    const line = (doc.get('root', Y.XmlText).toDelta()[1_000].insert as Y.XmlText);
    line.insert(line.length, ' more');
    const result = extractor.pass(context);
    expect(result).toMatchObject({ all: null, read: 1, gone: [], walked: 0 });
    expect(result.changed.map((a) => a.sourceText)).toEqual(['ACTION: @AL item 1000 more']);
    extractor.dispose();
  });

  test('Enter, a deleted line, a new action or a retitled heading in a long document walks only the lines around it', () => {
    const doc = new Y.Doc();
    const line = (i: number): LexicalNode => $createParagraphNode().append($createTextNode(i % 20 === 0 ? `ACTION: @AL item ${i}` : `line ${i}`));
    const heading = (item: string): LexicalNode => $setAgendaKind($setAgendaItemId($createHeadingNode('h3').append($createTextNode(item)), item), 'item');
    edit(doc, () =>
      $getRoot().append(heading('item-1'), ...Array.from({ length: 1_000 }, (_, i) => line(i)), heading('item-2'), ...Array.from({ length: 1_000 }, (_, i) => line(1_000 + i))),
    );
    const extractor = new SessionExtractor(doc);
    const table = new Map<string, ExtractedAction>();
    const pass = (): number => {
      const result = extractor.pass(context);
      if (result.all) for (const a of result.all) table.set(a.id, a);
      for (const a of result.changed) table.set(a.id, a);
      for (const id of result.gone) table.delete(id);
      // The fresh ids the pass wrote: the next pass sees the document settled.
      expect(extractor.pass(context)).toMatchObject({ changed: [], gone: [] });
      expect([...table.values()].map(summary).sort()).toEqual(freshRead(doc).map(summary).sort());
      return result.walked;
    };
    expect(pass()).toBeGreaterThan(2_000);
    const changes: Array<[string, () => void]> = [
      ['Enter at the end', () => $getRoot().append(line(5_000))],
      ['a new action in the middle', () => $getRoot().getChildAtIndex(500)!.insertAfter(line(6_000))],
      ['a line deleted', () => $getRoot().getChildAtIndex(700)!.remove()],
      ['an action deleted', () => $getRoot().getChildAtIndex(1_522)!.remove()],
      // A few lines up: Lexical's binding writes every line the moved one passes as a new copy.
      ['a line moved up', () => $getRoot().getChildAtIndex(1_895)!.insertBefore($getRoot().getChildAtIndex(1_900)!)],
      ['the second heading retitled', () => $setAgendaItemId($getRoot().getChildAtIndex(1_002) as ElementNode, 'item-1')],
    ];
    for (const [name, change] of changes) {
      edit(doc, change);
      // The stretch from the kept line before the change to the one after: tens of lines, not 2,000.
      expect(pass(), name).toBeLessThan(200);
    }
    // Every other edit placed the actions after it again (positions moved): the table holds them all.
    expect([...table.values()].filter((a) => a.position > 1_900)).not.toHaveLength(0);
    extractor.dispose();
  });

  test('a table is never an action, whatever its cells say; the lines around it are read as ever', () => {
    const doc = new Y.Doc();
    const cell = (text: string) => $createTableCellNode().append($createParagraphNode().append($createTextNode(text)));
    edit(doc, () =>
      $getRoot().append(
        $createParagraphNode().append($createTextNode('ACTION: @AL before the table')),
        $createTableNode().append($createTableRowNode().append(cell('ACTION: @BO in the first cell'), cell('TODO: @AL in the second'))),
        $createParagraphNode().append($createTextNode('ACTION: @BO after the table')),
      ),
    );
    const extractor = new SessionExtractor(doc);
    const table = new Map<string, string>();
    const described = () => {
      const result = extractor.pass(context);
      for (const a of result.all ?? result.changed) table.set(a.id, a.sourceText);
      for (const id of result.gone) table.delete(id);
      return [...table.values()];
    };
    expect(described()).toEqual(['ACTION: @AL before the table', 'ACTION: @BO after the table']);
    // Typing in a cell changes nothing either.
    edit(doc, () => $getRoot().getChildren().filter($isTableNode)[0]!.getAllTextNodes()[0]!.setTextContent('ACTION: @BO retyped'));
    expect(described()).toEqual(['ACTION: @AL before the table', 'ACTION: @BO after the table']);
    extractor.dispose();
  });

  test('a document with no action or heading to place lines against is walked whole', () => {
    const doc = new Y.Doc();
    edit(doc, () => $getRoot().append(...Array.from({ length: 500 }, (_, i) => $createParagraphNode().append($createTextNode(`line ${i}`)))));
    const extractor = new SessionExtractor(doc);
    extractor.pass(context);
    edit(doc, () => $getRoot().append($createParagraphNode().append($createTextNode('ACTION: @AL at the end'))));
    const result = extractor.pass(context);
    expect(result.walked).toBeGreaterThanOrEqual(500);
    expect(result.changed.map((a) => a.position)).toEqual([500]);
    extractor.dispose();
  });
});
