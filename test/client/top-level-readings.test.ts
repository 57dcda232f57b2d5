// The highlighting reads again only the top-level nodes an update touched
// (client/editor/top-level-readings.ts). On a real Lexical editor with the notes' nodes, a seeded
// run of the edits notetakers make (typing, Enter, joining lines, removing lines, lists and
// nesting, ticking, whole states set) must leave the readings equal to reading every block afresh,
// after every edit, while a keystroke reads one node.
import { describe, expect, it } from 'vitest';
import {
  $createParagraphNode,
  $createTextNode,
  $getRoot,
  $isElementNode,
  $isTextNode,
  type ElementNode,
  type LexicalEditor,
  type LexicalNode,
} from 'lexical';
import { $createListItemNode, $createListNode, $isListItemNode, $isListNode } from '@lexical/list';
import { createNotesEditor } from '../../shared/notes/headless';
import { $blockInput, $blockNodesOf, $readBlocks } from '../../shared/notes/read';
import { TopLevelReadings } from '../../client/editor/top-level-readings';

type Reading = Array<[string, string, boolean | null]>;

function $readNode(node: LexicalNode): Reading {
  return $blockNodesOf(node).map((block) => {
    const { text, checked } = $blockInput(block);
    return [block.getKey(), text, checked ?? null];
  });
}

/** An editor whose readings follow its updates, counting the top-level nodes read. */
function watched(): { editor: LexicalEditor; readings: TopLevelReadings<Reading>; reads: { count: number } } {
  const editor = createNotesEditor();
  const reads = { count: 0 };
  const readings = new TopLevelReadings<Reading>((node) => {
    reads.count++;
    return $readNode(node);
  });
  editor.registerUpdateListener(({ dirtyElements, dirtyLeaves }) => readings.updated(dirtyElements, dirtyLeaves));
  return { editor, readings, reads };
}

function edit(editor: LexicalEditor, fn: () => void): void {
  editor.update(fn, { discrete: true });
}

/** The readings now, and every block read afresh (as $readBlocks reads them). */
function compare(editor: LexicalEditor, readings: TopLevelReadings<Reading>): { got: Reading; fresh: Reading } {
  return editor.getEditorState().read(() => ({
    got: readings.$values().flat(),
    fresh: $readBlocks().map((block): [string, string, boolean | null] => [block.key, block.text, block.checked]),
  }));
}

function $paragraph(text: string): ElementNode {
  return $createParagraphNode().append($createTextNode(text));
}

/** A small deterministic generator (mulberry32). */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('the highlighting reads again only what an update touched', () => {
  it('reads one node for a keystroke, and the new ones when lines are added', () => {
    const { editor, readings, reads } = watched();
    edit(editor, () => {
      for (let i = 0; i < 50; i++) $getRoot().append($paragraph(i % 5 === 0 ? `ACTION: KTL item ${i}` : `line ${i}`));
    });
    expect(compare(editor, readings).got).toHaveLength(50);
    expect(reads.count).toBe(50);

    reads.count = 0;
    edit(editor, () => {
      const text = ($getRoot().getChildAtIndex(20) as ElementNode).getFirstChild()!;
      if ($isTextNode(text)) text.setTextContent(`${text.getTextContent()}x`);
    });
    const { got, fresh } = compare(editor, readings);
    expect(got).toEqual(fresh);
    expect(reads.count).toBe(1);

    reads.count = 0;
    edit(editor, () => {
      $getRoot().getChildAtIndex(10)!.insertAfter($paragraph('a new line'));
    });
    expect(compare(editor, readings).got).toEqual(compare(editor, readings).fresh);
    // The new line and the neighbours its insertion marked.
    expect(reads.count).toBeLessThanOrEqual(3);

    // A frame with no update in between (the notes resized) reads nothing.
    reads.count = 0;
    compare(editor, readings);
    expect(reads.count).toBe(0);

    // The caret moving alone changes no block.
    edit(editor, () => $getRoot().selectEnd());
    compare(editor, readings);
    expect(reads.count).toBe(0);
  });

  it('reads everything again when a whole editor state is set, even one that shares its nodes', () => {
    const { editor, readings } = watched();
    edit(editor, () => {
      $getRoot().append($paragraph('first'), $paragraph('second'));
    });
    const before = editor.getEditorState();
    compare(editor, readings);
    edit(editor, () => {
      const text = ($getRoot().getFirstChild() as ElementNode).getFirstChild()!;
      if ($isTextNode(text)) text.setTextContent('first, edited');
    });
    expect(compare(editor, readings).got.map(([, text]) => text)).toEqual(['first, edited', 'second']);
    // Back to an earlier state: the paragraphs are the very objects read before, their text not.
    editor.setEditorState(before);
    const { got, fresh } = compare(editor, readings);
    expect(got).toEqual(fresh);
    expect(got.map(([, text]) => text)).toEqual(['first', 'second']);
    editor.setEditorState(editor.parseEditorState(JSON.stringify(before.toJSON())));
    expect(compare(editor, readings).got).toEqual(compare(editor, readings).fresh);
  });

  it('matches a fresh read after every edit of a seeded run of notetakers’ edits', () => {
    for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
      const next = random(seed);
      const pick = <T,>(items: readonly T[]): T | undefined => items[Math.floor(next() * items.length)];
      const { editor, readings } = watched();
      edit(editor, () => {
        for (let i = 0; i < 12; i++) $getRoot().append($paragraph(`line ${i}`));
      });
      compare(editor, readings);
      const history: Array<ReturnType<LexicalEditor['getEditorState']>> = [];
      for (let step = 0; step < 150; step++) {
        const op = Math.floor(next() * 9);
        if (op === 8 && history.length > 0) {
          editor.setEditorState(pick(history)!);
        } else {
          edit(editor, () => {
            const root = $getRoot();
            const tops = root.getChildren();
            const blocks = tops.flatMap($blockNodesOf);
            const block = pick(blocks);
            switch (op) {
              case 0:
              case 1: {
                // Typing: a letter at the end of some text of a block.
                const text = block?.getChildren().find($isTextNode);
                if (text) text.setTextContent(`${text.getTextContent()}${'abc '[step % 4]}`);
                else block?.append($createTextNode('t'));
                break;
              }
              case 2:
                // Enter: a new line after a block.
                if (block && $isListItemNode(block)) block.insertAfter($createListItemNode().append($createTextNode('item')));
                else (block ?? root).append($paragraph('new'));
                break;
              case 3: {
                // Backspace at a line's start: its text joins the line above, and it goes.
                const index = block ? blocks.indexOf(block) : -1;
                const above = index > 0 ? blocks[index - 1] : undefined;
                if (block && above) {
                  for (const child of block.getChildren()) if (!$isListNode(child)) above.append(child);
                  if (block.getChildren().length === 0) block.remove();
                }
                break;
              }
              case 4:
                pick(tops)?.remove();
                if (root.getChildrenSize() === 0) root.append($paragraph('again'));
                break;
              case 5: {
                // A line becomes a list item (a list of its own, or the list above's).
                const top = pick(tops);
                if (top && !$isListNode(top) && $isElementNode(top)) {
                  const item = $createListItemNode().append(...top.getChildren());
                  const previous = top.getPreviousSibling();
                  if ($isListNode(previous)) {
                    previous.append(item);
                    top.remove();
                  } else top.replace($createListNode(next() < 0.5 ? 'check' : 'bullet').append(item));
                }
                break;
              }
              case 6:
                // Nesting: an item's next sibling goes into a list nested under it.
                if (block && $isListItemNode(block)) {
                  const sibling = block.getNextSibling();
                  if ($isListItemNode(sibling)) {
                    const nested = $createListNode('bullet');
                    block.insertAfter($createListItemNode().append(nested));
                    nested.append(sibling);
                  }
                }
                break;
              case 7:
                if (block && $isListItemNode(block)) block.setChecked(!block.getChecked());
                else root.selectStart();
                break;
              default:
                root.selectEnd();
            }
          });
        }
        history.push(editor.getEditorState());
        const { got, fresh } = compare(editor, readings);
        expect(got, `seed ${seed}, step ${step}, edit ${op}`).toEqual(fresh);
      }
    }
  });
});
