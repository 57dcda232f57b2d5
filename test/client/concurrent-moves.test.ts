// Structural edits (Enter in the middle of text, Backspace joining two blocks, nesting a list
// item) move text in Lexical's Yjs binding: it deletes the moved nodes and writes copies. Text
// someone else types into the moved part at the same moment would stay behind (split) or vanish
// with the deleted block (join, nest). These tests cross such edits in flight between headless
// notetakers and require that the typist's words stay whole and nothing is lost.
import { afterEach, describe, expect, test } from 'vitest';
import {
  $createParagraphNode,
  $createTextNode,
  $getRoot,
  $getSelection,
  $isRangeSelection,
  DELETE_CHARACTER_COMMAND,
  INDENT_CONTENT_COMMAND,
  INSERT_PARAGRAPH_COMMAND,
  $insertNodes,
  type LexicalNode,
} from 'lexical';
import { $createListItemNode, $createListNode } from '@lexical/list';
import { createWriter } from '../../shared/notes/headless.js';
import { blockTexts, contentOf, Hub, type Peer } from '../helpers/lexical-peers.js';

let hub: Hub | null = null;
afterEach(() => {
  hub?.dispose();
  hub = null;
});

function seeded(build: () => LexicalNode[]): Hub {
  const writer = createWriter(null);
  writer.editor.update(() => $getRoot().append(...build()), { discrete: true });
  const state = writer.diff();
  writer.dispose();
  hub = new Hub(state);
  return hub;
}

function type(peer: Peer, text: string): void {
  for (const ch of text) {
    peer.editor.update(
      () => {
        const selection = $getSelection();
        if (!$isRangeSelection(selection)) throw new Error(`${peer.name} has no caret`);
        selection.insertText(ch);
      },
      { discrete: true },
    );
  }
}

/** Caret at the end (or at `offset` into the text) of the `index`-th block. */
function caret(peer: Peer, index: number, offset?: number): void {
  peer.editor.update(
    () => {
      const blocks: LexicalNode[] = [];
      const walk = (node: LexicalNode): void => {
        const children = 'getChildren' in node ? (node as unknown as { getChildren(): LexicalNode[] }).getChildren() : [];
        const isBlock = node.getType() !== 'root' && node.getType() !== 'list' && !children.some((c) => c.getType() === 'list');
        if (isBlock) blocks.push(node);
        else children.forEach(walk);
      };
      walk($getRoot());
      const block = blocks[index] as unknown as { selectEnd(): void; getFirstDescendant(): { select(a: number, b: number): void } | null };
      if (offset === undefined) block.selectEnd();
      else block.getFirstDescendant()!.select(offset, offset);
    },
    { discrete: true },
  );
}

function command(peer: Peer, which: 'enter' | 'backspace' | 'indent'): void {
  peer.editor.update(
    () => {
      if (which === 'enter') peer.editor.dispatchCommand(INSERT_PARAGRAPH_COMMAND, undefined);
      else if (which === 'backspace') peer.editor.dispatchCommand(DELETE_CHARACTER_COMMAND, true);
      else peer.editor.dispatchCommand(INDENT_CONTENT_COMMAND, undefined);
    },
    { discrete: true },
  );
}

/** Every editor shows the hub's document and they all agree. */
function expectConverged(h: Hub): string[] {
  h.settle();
  const reference = h.join('checker');
  const expected = contentOf(reference.editor);
  for (const peer of h.peers) expect(contentOf(peer.editor), `${peer.name} drifted from the document`).toEqual(expected);
  return blockTexts(reference.editor);
}

const paragraph = (text: string) => () => $createParagraphNode().append($createTextNode(text));

describe('text typed into a part of the notes that someone else moves at that moment', () => {
  test('Enter splitting a line while another notetaker types at its end keeps their words together', () => {
    const h = seeded(() => [paragraph('Opening.')(), paragraph('Next item.')()]);
    const ann = h.join('ann', { rescue: true });
    const ben = h.join('ben', { rescue: true });
    caret(ann, 0);
    caret(ben, 0);
    type(ann, ' alpha');
    type(ben, ' bravo');
    h.settle();
    // Whoever's run came first presses Enter at its end; the other is still typing after it.
    const [first, second] = blockTexts(ann.editor)[0]!.indexOf('alpha') < blockTexts(ann.editor)[0]!.indexOf('bravo') ? [ann, ben] : [ben, ann];
    const secondWord = second === ann ? 'alpha' : 'bravo';
    command(first, 'enter');
    type(second, ' charlie delta');
    const lines = expectConverged(h);
    expect(lines.some((line) => line.includes(`${secondWord} charlie delta`)), lines.join(' | ')).toBe(true);
  });

  test('Backspace joining a line onto the one above while another notetaker types in it loses nothing', () => {
    const h = seeded(() => [paragraph('First line.')(), paragraph('Second line')()]);
    const ann = h.join('ann', { rescue: true });
    const ben = h.join('ben', { rescue: true });
    caret(ann, 1, 0);
    caret(ben, 1);
    command(ann, 'backspace');
    type(ben, ' and more words');
    const lines = expectConverged(h);
    expect(lines.join('\n')).toContain('Second line and more words');
  });

  test("Backspace joining a line of the typist's own onto the one above while the typist types into its middle keeps the word whole and the rest once", () => {
    const h = seeded(() => [paragraph('Earlier line.')(), $createParagraphNode()]);
    const ann = h.join('ann', { rescue: true });
    const ben = h.join('ben', { rescue: true });
    // The whole line is Ann's: the copy of it is recognised by her own letters alone.
    caret(ann, 1);
    type(ann, 'dbe dddf fcce');
    h.settle();
    caret(ann, 1, 'dbe dddf '.length);
    type(ann, 'b');
    caret(ben, 1, 0);
    command(ben, 'backspace');
    // Ben's join reaches Ann before her "b" reaches him, so his copy of her line lacks it.
    h.send(ben);
    h.deliver(ann);
    type(ann, 'cfbcb ');
    const lines = expectConverged(h);
    expect(lines.join('\n')).toContain('Earlier line.dbe dddf bcfbcb fcce');
    expect(lines.join('\n').split('fcce').length - 1).toBe(1);
  });

  test('pasting a list into the middle of a line while another notetaker finishes a word at its end keeps the word whole', () => {
    const h = seeded(() => [paragraph('Opening.')(), $createParagraphNode()]);
    const ann = h.join('ann', { rescue: true });
    const cat = h.join('cat', { rescue: true });
    caret(ann, 1);
    type(ann, 'Intro agafaa');
    h.settle();
    caret(cat, 1);
    type(cat, ' uqors or');
    h.settle();
    // Cat's next letter is on its way when Ann's paste, splitting the line, reaches her.
    type(cat, 'o');
    caret(ann, 1, 'Intro'.length);
    ann.editor.update(() => $insertNodes([$createListNode('bullet').append($createListItemNode().append($createTextNode('pasted')))]), { discrete: true });
    h.send(ann);
    h.deliver(cat);
    type(cat, ' done');
    const lines = expectConverged(h);
    expect(lines.join('\n')).toContain('agafaa uqors oro done');
  });

  test('nesting a list item while another notetaker types in it loses nothing', () => {
    const h = seeded(() => [$createListNode('bullet').append($createListItemNode().append($createTextNode('one')), $createListItemNode().append($createTextNode('two')))]);
    const ann = h.join('ann', { rescue: true });
    const ben = h.join('ben', { rescue: true });
    caret(ann, 1, 0);
    caret(ben, 1);
    command(ann, 'indent');
    type(ben, ' three four');
    const lines = expectConverged(h);
    expect(lines).toContain('two three four');
  });

  test('nesting a list item the typist has partly sent: the known letters move, the rest follow, and so does the caret', () => {
    const h = seeded(() => [$createListNode('bullet').append($createListItemNode().append($createTextNode('one')), $createListItemNode().append($createTextNode('two')), $createListItemNode().append($createTextNode('three')))]);
    const ann = h.join('ann', { rescue: true });
    const ben = h.join('ben', { rescue: true });
    caret(ben, 1);
    // Ben's letters reach Ann as he types them (Yjs merges them into one item at Ben's).
    for (const ch of ' get') {
      type(ben, ch);
      h.settle();
    }
    caret(ann, 1, 0);
    command(ann, 'indent');
    type(ben, 's');
    while (h.send(ann));
    while (h.deliver(ben));
    ben.flush();
    // Ben goes on typing after Ann's nesting reached him: his caret moved with the line.
    type(ben, ' nested');
    const lines = expectConverged(h);
    expect(lines).toEqual(['one', 'two gets nested', 'three']);
  });

  test('a follower never writes, even when the notes need normalising', () => {
    const h = seeded(() => [$createParagraphNode()]);
    const ann = h.join('ann');
    const ben = h.join('ben');
    const fay = h.join('fay', { readOnly: true });
    caret(ann, 0);
    caret(ben, 0);
    type(ann, 'from ann');
    type(ben, 'from ben');
    expectConverged(h);
    expect(fay.writes).toBe(0);
  });
});
