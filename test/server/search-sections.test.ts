// The search index's reader of a live document's sections (server/search/sections.ts) against a
// whole read of the document's blocks (readYjsBlocks, grouped here) after every step: whatever the edits (typing, new lines, deletions,
// moves, agenda headings retitled, made or unmade), the rows an indexer keeps by writing only the
// sections the reader says changed equal a whole read of the document, also when some writes
// fail; and typing in one section reads that section only.
import { describe, expect, test } from 'vitest';
import * as Y from 'yjs';
import { $createParagraphNode, $createTextNode, $getRoot, $isElementNode, $isTextNode, type ElementNode, type LexicalNode } from 'lexical';
import { $createHeadingNode } from '@lexical/rich-text';
import { $createListItemNode, $createListNode } from '@lexical/list';
import { createWriter } from '../../shared/notes/headless.js';
import { $setAgendaItemId, $setAgendaKind } from '../../shared/notes/agenda-state.js';
import { noteSections, SectionReader } from '../../server/search/sections.js';
import { readYjsBlocks } from '../../shared/notes/yjs-read.js';
import { seededRandom } from '../helpers/lexical-peers.js';

function edit(doc: Y.Doc, change: () => void): void {
  const writer = createWriter(Y.encodeStateAsUpdate(doc));
  writer.editor.update(change, { discrete: true });
  Y.applyUpdate(doc, writer.diff());
  writer.dispose();
}

const heading = (item: string): LexicalNode => $setAgendaKind($setAgendaItemId($createHeadingNode('h3').append($createTextNode(`Topic ${item}`)), item), 'item');
const paragraph = (text: string): LexicalNode => $createParagraphNode().append($createTextNode(text));
const pick = <T>(random: () => number, items: readonly T[]): T | undefined => items[Math.floor(random() * items.length)];

const OPS: Array<[string, (random: () => number) => void]> = [
  ['type into a line', (random) => {
    const text = pick(random, $getRoot().getAllTextNodes());
    text?.setTextContent(`${text.getTextContent()}${pick(random, ['a', ' b', 'c '])!}`);
  }],
  ['empty a line', (random) => pick(random, $getRoot().getAllTextNodes())?.setTextContent('  ')],
  ['new line', (random) => pick(random, $getRoot().getChildren())?.insertAfter(paragraph(`line ${Math.floor(random() * 100)}`))],
  ['new list', (random) => pick(random, $getRoot().getChildren())?.insertAfter($createListNode('bullet').append($createListItemNode().append($createTextNode('item')), $createListItemNode().append($createTextNode('second')))),],
  ['delete a block', (random) => {
    const blocks = $getRoot().getChildren();
    if (blocks.length > 3) pick(random, blocks)!.remove();
  }],
  ['move a block', (random) => {
    const blocks = $getRoot().getChildren();
    const moved = pick(random, blocks)!;
    const to = pick(random, blocks)!;
    if (moved !== to) to.insertBefore(moved);
  }],
  ['new agenda heading', (random) => pick(random, $getRoot().getChildren())?.insertAfter(heading(pick(random, ['item-1', 'item-2', 'item-3'])!))],
  ['retitle an agenda heading', (random) => {
    const headings = $getRoot().getChildren().filter((n) => n.getType() === 'heading') as ElementNode[];
    const target = pick(random, headings);
    if (target) $setAgendaItemId(target, pick(random, ['item-1', 'item-2', 'item-3', ''])!);
  }],
  ['join a line into the one above', (random) => {
    const blocks = $getRoot().getChildren().filter((n) => n.getType() === 'paragraph') as ElementNode[];
    const block = pick(random, blocks);
    const above = block?.getPreviousSibling();
    if (!block || !above || !$isElementNode(above) || above.getType() !== 'paragraph') return;
    above.append(...block.getChildren().filter($isTextNode));
    block.remove();
  }],
];

/** Every block read, its trimmed text put under the agenda item it sits under; agenda headings and empty lines left out. */
function wholeRead(doc: Y.Doc): Map<string, string> {
  const sections = new Map<string, string>();
  for (const block of readYjsBlocks(doc.get('root', Y.XmlText))) {
    const text = block.text.trim();
    if (text === '' || block.opensAgendaItem) continue;
    const key = block.agendaItemId ?? '';
    sections.set(key, sections.has(key) ? `${sections.get(key)!}\n${text}` : text);
  }
  return sections;
}

describe('the search index reads only the sections that changed', () => {
  test.each(Array.from({ length: Number(process.env.SECTION_SEEDS ?? 20) }, (_, i) => i + 1))('seed %i: the rows written from what the reader finds changed equal a whole read', (seed) => {
    const random = seededRandom(seed);
    const doc = new Y.Doc();
    edit(doc, () => $getRoot().append(paragraph('before the agenda'), heading('item-1'), paragraph('first notes'), heading('item-2'), paragraph('second notes')));
    const reader = new SectionReader(doc);
    // The index's note rows, as an indexer writes them: changed sections rewritten, missing ones dropped.
    const rows = new Map<string, string>();
    const log: string[] = [];
    for (let step = 0; step < 50; step++) {
      for (let e = 1 + Math.floor(random() * 3); e > 0; e--) {
        const [name, op] = pick(random, OPS)!;
        log.push(name);
        edit(doc, () => op(random));
      }
      const read = reader.read();
      // One write in five fails: nothing is written, and the next read must read those sections again.
      if (random() < 0.2) {
        log.push('(write failed)');
        continue;
      }
      const present = new Set<string>();
      for (const section of read.sections) {
        const key = section.agendaItemId ?? '';
        present.add(key);
        if (section.text !== null) rows.set(key, section.text);
      }
      for (const key of [...rows.keys()]) if (!present.has(key)) rows.delete(key);
      read.written();
      expect(rows, `seed ${seed} after ${log.join(', ')}`).toEqual(wholeRead(doc));
      // A whole read (an unloading document's) is the same.
      expect(new Map(noteSections(doc).map((s) => [s.agendaItemId ?? '', s.text]))).toEqual(rows);
    }
    reader.dispose();
  });

  test('typing in one agenda item reads that item’s notes only', () => {
    const doc = new Y.Doc();
    edit(doc, () =>
      $getRoot().append(heading('item-1'), ...Array.from({ length: 200 }, (_, i) => paragraph(`first ${i}`)), heading('item-2'), ...Array.from({ length: 200 }, (_, i) => paragraph(`second ${i}`))),
    );
    const reader = new SectionReader(doc);
    const first = reader.read();
    expect(first.sections.map((s) => s.text?.split('\n').length)).toEqual([200, 200]);
    first.written();
    const line = doc.get('root', Y.XmlText).toDelta()[300].insert as Y.XmlText;
    line.insert(line.length, ' typed');
    const second = reader.read();
    second.written();
    expect(second.sections.map((s) => [s.agendaItemId, s.text === null ? null : s.text.split('\n').length])).toEqual([
      ['item-1', null],
      ['item-2', 200],
    ]);
    expect(second.sections[1]!.text).toContain('second 98 typed');
    // Nothing typed since: nothing read.
    expect(reader.read().sections.map((s) => s.text)).toEqual([null, null]);
    reader.dispose();
  });

  test('a write that finishes after a later read began does not settle what that later read found (writes overlap on PostgreSQL)', () => {
    const doc = new Y.Doc();
    edit(doc, () => $getRoot().append(heading('item-1'), paragraph('first'), heading('item-2'), paragraph('second')));
    const reader = new SectionReader(doc);
    reader.read().written();
    const type = (index: number, text: string): void => {
      const line = doc.get('root', Y.XmlText).toDelta()[index].insert as Y.XmlText;
      line.insert(line.length, text);
    };
    type(3, ' more');
    const earlier = reader.read();
    type(1, ' typed');
    const later = reader.read();
    expect(later.sections.map((s) => s.text)).toEqual(['first typed', 'second more']);
    earlier.written();
    // The later write failed: the next read reads both sections again.
    expect(reader.read().sections.map((s) => s.text)).toEqual(['first typed', 'second more']);
    reader.dispose();
  });
});
