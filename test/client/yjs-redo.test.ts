// Yjs's undo manager, redoing, must put text back where every other copy of the document puts it.
//
// Redo re-inserts each deleted item between copies of its old neighbours, each traced on its own
// through what earlier redos brought back. When a paragraph and its text come back in several
// steps while others edit beside it, the right neighbour could come out before the left one, and
// the copy that redid placed the text elsewhere than every copy that received it: two documents
// with the same items in different orders, for good (the seeded Lexical fuzzer met it as one
// notetaker's words in another order than the server's). Patched (scripts/patch-lexical-yjs.mjs,
// 11): such an item goes right after its left neighbour.
//
// And an undo or redo must not throw. Putting text back into a paragraph follows the paragraph's
// own copies to its latest one; when that copy has been deleted since and its content collected,
// stock Yjs read the missing content and threw a TypeError out of undo() (6 seeds of 30,000 below;
// in a page, a Ctrl+Z that fails half done); with the paragraphs in lists, a copy collected with its
// list is a bare GC struct, and Yjs threw looking up its `redone` (4 seeds of 20,000). Patched (12):
// that text is not put back, as when the paragraph itself cannot be.
//
// Three copies of a small document of paragraphs (Y.XmlText in Y.XmlText, as the notes are; or
// in lists, one level deeper) type, delete, split and join paragraphs, undo and redo, and exchange
// updates in a seeded random order; at the end every copy must read the same.
import { expect, test } from 'vitest';
import * as Y from 'yjs';
import { seededRandom } from '../helpers/lexical-peers.js';

function read(text: Y.XmlText): string {
  return (text.toDelta() as Array<{ insert: unknown }>).map((op) => (op.insert instanceof Y.XmlText ? `[${read(op.insert)}]` : String(op.insert))).join('');
}

const blocks = (parent: Y.XmlText): Y.XmlText[] => (parent.toDelta() as Array<{ insert: unknown }>).map((op) => op.insert).filter((x): x is Y.XmlText => x instanceof Y.XmlText);

/**
 * What each copy reads after `steps` seeded random edits, undos and redos, and every update
 * delivered. `nested`: the paragraphs sit in lists (Y.XmlText in Y.XmlText in the root), and lists
 * are made and deleted and paragraphs moved between them too.
 */
function run(seed: number, steps: number, nested = false): string[] {
  const random = seededRandom(seed);
  const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)]!;
  const start = new Y.Doc();
  start.clientID = 1;
  const startRoot = start.get('root', Y.XmlText);
  const containers = nested
    ? [0, 1].map((i) => {
        const list = new Y.XmlText();
        startRoot.insertEmbed(i, list);
        return list;
      })
    : [startRoot];
  for (const container of containers) {
    for (let i = 0; i < (nested ? 2 : 3); i++) {
      const paragraph = new Y.XmlText();
      container.insertEmbed(i, paragraph);
      paragraph.insert(0, 'abcdef'.slice(0, 3 + i));
    }
  }
  const copies = [0, 1, 2].map((i) => {
    const doc = new Y.Doc();
    doc.clientID = 100 + i;
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(start));
    const root = doc.get('root', Y.XmlText);
    return { doc, root, undo: new Y.UndoManager(root, { captureTimeout: 0 }), inbox: [] as Uint8Array[], letters: 'hijklmnopqrstuvwxyz'.slice(i * 6, i * 6 + 6) };
  });
  for (const copy of copies) {
    copy.doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin !== 'remote') for (const other of copies) if (other !== copy) other.inbox.push(update);
    });
  }
  // Some of each copy's pending updates arrive, in order.
  const deliverSome = (): void => {
    for (const copy of copies) while (copy.inbox.length > 0 && random() < 0.5) Y.applyUpdate(copy.doc, copy.inbox.shift()!, 'remote');
  };
  for (let step = 0; step < steps; step++) {
    const { doc, root: top, undo, letters } = pick(copies);
    const lists = nested ? blocks(top) : [];
    // The paragraphs' parent: the root, or one of the lists (none when every list was deleted).
    const root = nested ? (lists.length > 0 ? pick(lists) : null) : top;
    const paragraphs = root ? blocks(root) : [];
    const n = paragraphs.length;
    if (nested && random() < 0.15) {
      const kind = random();
      if (kind < 0.35 && lists.length > 1) {
        top.delete(Math.floor(random() * lists.length), 1);
      } else if (kind < 0.7 || !root || n === 0 || lists.length < 2) {
        doc.transact(() => {
          const list = new Y.XmlText();
          top.insertEmbed(Math.floor(random() * (lists.length + 1)), list);
          const paragraph = new Y.XmlText();
          list.insertEmbed(0, paragraph);
          paragraph.insert(0, pick([...letters]));
        });
      } else {
        // Un-nesting, as Lexical writes it: the paragraph deleted and a copy made elsewhere.
        const i = Math.floor(random() * n);
        const text = paragraphs[i]!.toString();
        const other = pick(lists.filter((list) => list !== root));
        doc.transact(() => {
          root.delete(i, 1);
          const paragraph = new Y.XmlText();
          other.insertEmbed(0, paragraph);
          paragraph.insert(0, text);
        });
      }
      deliverSome();
      continue;
    }
    const op = random();
    if (op < 0.35 && n > 0) {
      const paragraph = pick(paragraphs);
      paragraph.insert(Math.floor(random() * (paragraph.length + 1)), pick([...letters]).repeat(1 + Math.floor(random() * 3)));
    } else if (op < 0.5 && n > 0) {
      const paragraph = pick(paragraphs);
      if (paragraph.length > 0) {
        const at = Math.floor(random() * paragraph.length);
        paragraph.delete(at, Math.min(paragraph.length - at, 1 + Math.floor(random() * 3)));
      }
    } else if (op < 0.6 && n > 1) {
      root!.delete(Math.floor(random() * n), 1);
    } else if (op < 0.7 && n > 0) {
      // Enter: the rest of a paragraph moves into a new one after it.
      const i = Math.floor(random() * n);
      const text = paragraphs[i]!.toString();
      const at = Math.floor(random() * (text.length + 1));
      doc.transact(() => {
        const rest = new Y.XmlText();
        root!.insertEmbed(i + 1, rest);
        rest.insert(0, text.slice(at));
        if (text.length > at) paragraphs[i]!.delete(at, text.length - at);
      });
    } else if (op < 0.75 && n > 1) {
      // Backspace at a line's start: a paragraph joins the one before it.
      const i = 1 + Math.floor(random() * (n - 1));
      const text = paragraphs[i]!.toString();
      doc.transact(() => {
        paragraphs[i - 1]!.insert(paragraphs[i - 1]!.length, text);
        root!.delete(i, 1);
      });
    } else if (op < 0.88) {
      undo.undo();
    } else {
      undo.redo();
    }
    deliverSome();
  }
  for (const copy of copies) while (copy.inbox.length > 0) Y.applyUpdate(copy.doc, copy.inbox.shift()!, 'remote');
  return copies.map((copy) => read(copy.root));
}

/** The runs of these seeds whose copies do not all read the same, with what each read. */
function diverged(seeds: Iterable<number>, nested = false): string[] {
  const found: string[] = [];
  for (const seed of seeds) {
    const reads = run(seed, 60, nested);
    if (reads.some((read) => read !== reads[0])) found.push(`seed ${seed}: ${reads.join(' | ')}`);
  }
  return found;
}

const firstSeeds = (count: number): number[] => Array.from({ length: count }, (_, i) => i + 1);

// Of 3,000 seeds, stock Yjs 13.6 ended seed 178 in different documents; patched, none.
test('seed 178: every copy reads the same after a redo between neighbours traced apart', () => {
  expect(diverged([178])).toEqual([]);
});

// Of 30,000 seeds, stock Yjs (and Yjs with patch 11) threw out of undo() at these six; patched, none.
test('an undo into a paragraph whose latest copy was deleted and collected does not throw, and every copy reads the same', () => {
  expect(diverged([4184, 11576, 20224, 21796, 24391, 25003])).toEqual([]);
});

// Of 20,000 seeds with the paragraphs in lists, Yjs with only the first half of patch 12 threw at these four; patched, none.
test('an undo into a list item whose latest copy was collected with its list does not throw, and every copy reads the same', () => {
  expect(diverged([6115, 6211, 10625, 17205], true)).toEqual([]);
});

test('three copies with paragraphs in lists, making, deleting and leaving lists too, read the same, over 500 seeds', () => {
  expect(diverged(firstSeeds(500), true)).toEqual([]);
});

test('three copies typing, splitting, joining, undoing and redoing read the same, over 500 seeds', () => {
  expect(diverged(firstSeeds(500))).toEqual([]);
});
