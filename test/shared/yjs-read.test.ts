// The server's Yjs-level block reader (shared/notes/yjs-read.ts) must read every document exactly
// as `$readBlocks` reads it through a Lexical editor: the same blocks, texts, mentions, check
// states, ids and agenda items. Here over every block shape the page makes (the fuzz test in
// test/client/concurrency-fuzz.test.ts checks the same after each randomized concurrent run).
import { describe, expect, test } from 'vitest';
import * as Y from 'yjs';
import { $createLineBreakNode, $createParagraphNode, $createTabNode, $createTextNode, $getRoot, type LexicalNode } from 'lexical';
import { $createHeadingNode, $createQuoteNode } from '@lexical/rich-text';
import { $createListItemNode, $createListNode } from '@lexical/list';
import { $createLinkNode } from '@lexical/link';
import { $createTableCellNode, $createTableNode, $createTableRowNode } from '@lexical/table';
import { createReader, createWriter } from '../../shared/notes/headless.js';
import { $readBlocks } from '../../shared/notes/read.js';
import { $createMentionNode } from '../../shared/notes/nodes.js';
import { $setActionId } from '../../shared/notes/action-id.js';
import { $setAgendaItemId, $setAgendaKind } from '../../shared/notes/agenda-state.js';
import { actionLines } from '../fixtures/index.js';
import { differencesFromLexical } from '../helpers/yjs-reader.js';

function documentOf(build: () => LexicalNode[]): Y.Doc {
  const writer = createWriter(null);
  writer.editor.update(() => $getRoot().append(...build()), { discrete: true });
  const doc = new Y.Doc();
  Y.applyUpdate(doc, writer.diff());
  writer.dispose();
  return doc;
}

const p = (...children: LexicalNode[]) => $createParagraphNode().append(...children);
const t = (text: string) => $createTextNode(text);

describe('the Yjs-level block reader', () => {
  test('reads every block shape as $readBlocks does', () => {
    const doc = documentOf(() => [
      $setAgendaKind($createHeadingNode('h2').append(t('Block 1 · Moderator: Ann')), 'block'),
      p(t('before any item: ACTION: @nobody check the room')),
      $setAgendaKind($setAgendaItemId($createHeadingNode('h3').append(t('09:00 Welcome')), 'item-1'), 'item'),
      $createQuoteNode().append(t('pre-meeting notes')),
      $setActionId(p(t('ACTION: '), $createMentionNode('@KTL', '7', 'KTL'), t(' write it '), $createTextNode('bold').toggleFormat('bold'), t(' by Friday')), 'a123456789'),
      p(t('a line'), $createLineBreakNode(), t('with a break and a '), $createLinkNode('https://example.org').append(t('link')), t(' inside')),
      p(),
      $createListNode('bullet').append(
        $createListItemNode().append(t('TODO: outer item')),
        $createListItemNode().append($createListNode('bullet').append($createListItemNode().append(t('[ ] nested in a wrapper')))),
        $createListItemNode().append(t('item with nested'), $createListNode('number').append($createListItemNode().append(t('DONE: deep')))),
      ),
      $setAgendaKind($setAgendaItemId($createHeadingNode('h3').append(t('10:00 Next')), 'item-2'), 'item'),
      $createListNode('check').append(
        $setActionId($createListItemNode(true).append(t('Ann to ship it')), 'b123456789'),
        $createListItemNode(false).append($createMentionNode('Robert Lupton', '', ''), t(' to call')),
      ),
      $setAgendaKind($createHeadingNode('h2').append(t('Block 2')), 'block'),
      p(t('after a block heading, under no item')),
      $createHeadingNode('h4').append(t('a plain heading keeps the item')),
    ]);
    expect(differencesFromLexical(doc)).toEqual([]);
  });

  test('reads the fixture action lines as $readBlocks does', () => {
    const { actions } = actionLines<{ actions: Array<{ line: string }> }>();
    const doc = documentOf(() =>
      actions.map(({ line }) => {
        const check = /^\[( |x)\] /.exec(line);
        if (!check) return p(t(line));
        return $createListNode('check').append($createListItemNode(check[1] === 'x').append(t(line.slice(4))));
      }),
    );
    expect(differencesFromLexical(doc)).toEqual([]);
  });

  test('reads a tab as Lexical shows it, even when concurrent typing landed in its text run', () => {
    const doc = documentOf(() => [p(t('before '), $createTabNode(), t('after'))]);
    const line = doc.get('root', Y.XmlText).toDelta()[0].insert as Y.XmlText;
    // Yjs puts text typed right after the tab into the tab node's run; Lexical shows only the tab.
    // [text map, 'before ', tab map, '\t', text map, 'after']: index 10 is right after the tab.
    line.insert(10, 'dada ');
    expect(line.toDelta()[3].insert).toBe('\tdada ');
    expect(differencesFromLexical(doc)).toEqual([]);
  });

  test('reads a tab as Lexical shows it when a concurrent delete took its character and left the node', () => {
    const doc = documentOf(() => [p(t('lkh'), $createTabNode())]);
    const line = doc.get('root', Y.XmlText).toDelta()[0].insert as Y.XmlText;
    // [text map, 'lkh', tab map, '\t']: index 5 is the tab's character. Lexical still shows a tab.
    line.delete(5, 1);
    expect(line.toDelta()).toHaveLength(3);
    expect(differencesFromLexical(doc)).toEqual([]);
  });

  test('reads a table as one block, its cells in order, as $readBlocks does', () => {
    const cell = (...lines: LexicalNode[]) => $createTableCellNode().append(...lines);
    const doc = documentOf(() => [
      p(t('before the table')),
      $createTableNode().append(
        $createTableRowNode().append(cell(p(t('Site'))), cell(p(t('Owner'))), cell(p(t('Status')))),
        $createTableRowNode().append(
          cell(p(t('ACTION: '), $createMentionNode('@KTL', '7', 'KTL'), t(' summit'))),
          cell(p(t('two')), p(t('lines'))),
          cell($createListNode('bullet').append($createListItemNode().append(t('a')), $createListItemNode().append(t('b')))),
        ),
        $createTableRowNode().append(cell(p()), cell(p($createLinkNode('https://example.org').append(t('link')))), cell(p(t('done')))),
        // A break inside a cell (Shift+Enter) is a space in the text: only rows and cells are apart.
        $createTableRowNode().append(cell(p(t('broken'), $createLineBreakNode(), t('line')))),
      ),
      $setActionId(p(t('ACTION: KTL after the table')), 'c123456789'),
    ]);
    expect(differencesFromLexical(doc)).toEqual([]);
    const reader = createReader();
    Y.applyUpdate(reader.doc, Y.encodeStateAsUpdate(doc));
    reader.flush();
    const table = reader.editor.getEditorState().read(() => $readBlocks()).find((b) => b.type === 'table');
    reader.dispose();
    expect(table?.text).toBe('Site\tOwner\tStatus\nACTION: @KTL summit\ttwo lines\ta b\n\tlink\tdone\nbroken line');
    expect(table?.mentions).toEqual([{ start: 26, end: 30, name: 'KTL', attendeeId: '7', handle: 'KTL' }]);
    expect(table?.rows?.map((row) => row.map((inlines) => inlines.map((inline) => inline.text).join('')))).toEqual([
      ['Site', 'Owner', 'Status'],
      ['ACTION: @KTL summit', 'two\nlines', 'a\nb'],
      ['', 'link', 'done'],
      ['broken\nline'],
    ]);
  });

  test('a difference is caught (the comparison can fail)', () => {
    const doc = documentOf(() => [p(t('one')), p(t('two'))]);
    // Text outside any text node's map: Yjs holds it, but it is not what Lexical shows.
    const second = doc.get('root', Y.XmlText).toDelta()[1].insert as Y.XmlText;
    second.insert(0, 'x');
    expect(differencesFromLexical(doc).length).toBeGreaterThan(0);
  });
});
