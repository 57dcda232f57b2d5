// A seeded fuzzer of three notetakers and a follower on headless editors bound exactly as the page
// binds them (same binding, patches, rescue, undo and list rules, drift guard): each round, each
// notetaker does one thing at a nearby spot (type a word letter by letter, Enter, Backspace at the
// start of a line, nest or un-nest a list item, tick a check item, paste a list, undo, redo, move
// the caret), while the hub delivers updates in a seeded random order, each within a keystroke of
// being made. Afterwards every editor equals the server's document, the follower never wrote, no
// word is interleaved (a notetaker types only letters of its own alphabet, so a word whose letters
// switch alphabets twice is interleaved text), and, for the edits the rescue covers, every word
// typed is in the notes.
//
// FUZZ_SEEDS, FUZZ_LAG (keystrokes an update may stay in flight) and FUZZ_OPS (comma-separated op
// names) explore beyond what CI runs; FUZZ_VERBOSE=1 prints every step.
import { afterEach, describe, expect, test } from 'vitest';
import * as Y from 'yjs';
import {
  $createParagraphNode,
  $createTextNode,
  $getRoot,
  $getSelection,
  $insertNodes,
  $isRangeSelection,
  DELETE_CHARACTER_COMMAND,
  INDENT_CONTENT_COMMAND,
  INSERT_PARAGRAPH_COMMAND,
  OUTDENT_CONTENT_COMMAND,
  REDO_COMMAND,
  UNDO_COMMAND,
  type LexicalNode,
} from 'lexical';
import { $createListItemNode, $createListNode, $isListItemNode } from '@lexical/list';
import { $createHeadingNode } from '@lexical/rich-text';
import { $createTableCellNode, $createTableNode, $createTableRowNode, $findCellNode, $insertTableColumnAtSelection, $insertTableRowAtSelection, $isTableNode } from '@lexical/table';
import { $changeTableAtSelection } from '../../client/editor/table-ops.js';
import { blockTexts, Hub, SERVER_EDIT, seededRandom, showsItsDocument, type Peer } from '../helpers/lexical-peers.js';
import { SessionExtractor, type ExtractedAction } from '../../server/notes/extractor.js';
import { notesOutline, readNotesState } from '../../shared/notes/outline.js';
import { differencesFromLexical } from '../helpers/yjs-reader.js';

const ALPHABETS: Record<string, string> = { ann: 'abcdefg', ben: 'hijklmn', cat: 'opqrstu' };

let hub: Hub | null = null;
afterEach(() => {
  hub?.dispose();
  hub = null;
});

function $blocks(): LexicalNode[] {
  const blocks: LexicalNode[] = [];
  const walk = (node: LexicalNode): void => {
    const children = 'getChildren' in node ? (node as unknown as { getChildren(): LexicalNode[] }).getChildren() : [];
    const container = node.getType() === 'root' || node.getType() === 'list' || children.some((c) => c.getType() === 'list');
    if (!container) blocks.push(node);
    else children.forEach(walk);
  };
  walk($getRoot());
  return blocks;
}

type Op = (peer: Peer, random: () => number, word: () => string) => void;

const update = (peer: Peer, fn: () => void) => peer.editor.update(fn, { discrete: true });

/** The running notes start after the heading; carets stay among the last few blocks. */
const caretTo: Op = (peer, random) =>
  update(peer, () => {
    const all = $blocks();
    const blocks = all.length > 1 ? all.slice(1) : all;
    const block = blocks[Math.max(0, blocks.length - 1 - Math.floor(random() * 3))] as unknown as { selectEnd(): void; selectStart(): void };
    if (random() < 0.8) block.selectEnd();
    else block.selectStart();
  });

const OPS: Array<[number, string, Op]> = [
  [6, 'type', () => {}],
  [2, 'enter', (peer) => update(peer, () => peer.editor.dispatchCommand(INSERT_PARAGRAPH_COMMAND, undefined))],
  [
    1,
    'backspace at line start',
    (peer) =>
      update(peer, () => {
        const selection = $getSelection();
        if (!$isRangeSelection(selection)) return;
        const block = selection.anchor.getNode().getTopLevelElement() === null ? null : $blocks().find((b) => b.isParentOf(selection.anchor.getNode()) || b.is(selection.anchor.getNode()));
        if (!block || block === $blocks()[1]) return;
        (block as unknown as { selectStart(): void }).selectStart();
        try {
          peer.editor.dispatchCommand(DELETE_CHARACTER_COMMAND, true);
        } catch (error) {
          // Headless only: some deletions ask the DOM selection how far a character extends.
          if (!String(error).includes('window object not found')) throw error;
        }
      }),
  ],
  [1, 'indent', (peer) => update(peer, () => peer.editor.dispatchCommand(INDENT_CONTENT_COMMAND, undefined))],
  [1, 'outdent', (peer) => update(peer, () => peer.editor.dispatchCommand(OUTDENT_CONTENT_COMMAND, undefined))],
  [
    1,
    'tick',
    (peer, random) =>
      update(peer, () => {
        const items = $blocks().filter((b): b is ReturnType<typeof $createListItemNode> => $isListItemNode(b) && b.getChecked() !== undefined);
        const item = items[Math.floor(random() * items.length)];
        item?.setChecked(!item.getChecked());
      }),
  ],
  [
    1,
    'paste a list',
    (peer, random, word) =>
      update(peer, () => {
        const kind = random() < 0.5 ? 'check' : 'bullet';
        $insertNodes([$createListNode(kind).append($createListItemNode(kind === 'check' ? false : undefined).append($createTextNode(` ${word()} `)), $createListItemNode(kind === 'check' ? false : undefined).append($createTextNode(` ${word()} `)))]);
      }),
  ],
  [1, 'undo', (peer) => update(peer, () => peer.editor.dispatchCommand(UNDO_COMMAND, undefined))],
  [1, 'redo', (peer) => update(peer, () => peer.editor.dispatchCommand(REDO_COMMAND, undefined))],
  [2, 'move the caret', caretTo],
];
/** The caret is in a table cell. */
const $inTable = (): boolean => {
  const selection = $getSelection();
  return $isRangeSelection(selection) && $findCellNode(selection.anchor.getNode()) !== null;
};

/** Tables, apart from OPS so that the seeds of the tests without them choose as they always did. */
const TABLE_OPS: Array<[number, string, Op]> = [
  [
    1,
    'insert a table',
    (peer, random, word) =>
      update(peer, () => {
        if ($inTable()) return;
        const cell = () => $createTableCellNode().append($createParagraphNode().append($createTextNode(` ${word()} `)));
        $insertNodes([$createTableNode().append($createTableRowNode().append(cell(), cell()), $createTableRowNode().append(cell(), cell()))]);
      }),
  ],
  // As the toolbar's buttons do (client/editor/table-ops.ts).
  [1, 'add a row', (peer, random) => update(peer, () => $changeTableAtSelection(() => $insertTableRowAtSelection(random() < 0.5)))],
  [1, 'add a column', (peer, random) => update(peer, () => $changeTableAtSelection(() => $insertTableColumnAtSelection(random() < 0.5)))],
];

function picker(names: readonly string[]): (random: () => number) => [string, Op] {
  const enabled = [...OPS, ...TABLE_OPS].filter(([, name]) => names.includes(name));
  const total = enabled.reduce((sum, [weight]) => sum + weight, 0);
  return (random) => {
    let r = random() * total;
    for (const [weight, name, op] of enabled) {
      r -= weight;
      if (r < 0) return [name, op];
    }
    return [enabled[0]![1], enabled[0]![2]];
  };
}

/**
 * How many keystrokes an update may stay in flight: about what a notetaker types while an edit
 * crosses a slow network. Within that, the hub moves updates in a random order.
 */
const MAX_LAG = Number(process.env.FUZZ_LAG ?? 1);
/** The lag of the run in progress (MAX_LAG unless a test asks for another). */
let lag = MAX_LAG;

/**
 * The server's notes layer on the hub's document: passes at random moments, as its throttle would
 * fall, writing ids the peers receive; the table is built only from what each pass reports.
 */
class ServerTable {
  readonly extractor: SessionExtractor;
  readonly rows = new Map<string, ExtractedAction>();
  private ids = 0;
  /** Its own sequence: the peers' random choices stay what the seed made them before it existed. */
  private readonly random: () => number;
  constructor(doc: Y.Doc, seed: number) {
    this.random = seededRandom(seed * 7919 + 1);
    this.extractor = new SessionExtractor(doc, { origin: SERVER_EDIT, newId: () => `server${String(++this.ids).padStart(6, '0')}` });
  }
  maybePass(): void {
    if (this.random() < 0.2) this.pass();
  }

  pass(): void {
    const result = this.extractor.pass(CONTEXT);
    for (const action of result.all ?? []) this.rows.set(action.id, action);
    for (const action of result.changed) this.rows.set(action.id, action);
    for (const id of result.gone) this.rows.delete(id);
  }
}

const CONTEXT = { attendees: [], sessionDate: '2026-11-17' };

/** The actions a fresh extractor reads from the document, as table rows (no ids written). */
function firstPass(doc: Y.Doc): string[] {
  const copy = new Y.Doc();
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
  const fresh = new SessionExtractor(copy, { newId: () => 'unassigned' });
  return (fresh.pass(CONTEXT).all ?? []).map(row).sort();
}

const row = (a: ExtractedAction): string => `${a.id} ${a.done ? 'done' : 'open'} @${a.position} ${JSON.stringify(a.sourceText)}`;

let table: ServerTable | null = null;

/** One keystroke's worth of time: overdue updates arrive, a few others at random. */
function someDelivery(h: Hub, random: () => number): void {
  h.now++;
  table?.maybePass();
  h.overdue(lag);
  const steps = Math.floor(random() * 4);
  for (let i = 0; i < steps; i++) {
    const peer = h.peers[Math.floor(random() * h.peers.length)]!;
    const sending = random() < 0.5;
    const moved = sending ? h.send(peer) : h.deliver(peer);
    if (process.env.FUZZ_VERBOSE && moved) trace(h, `${sending ? 'send' : 'deliver'} ${peer.name}`);
  }
}

function trace(h: Hub, what: string): void {
  const texts = h.peers.map((p) => `${p.name}=${JSON.stringify(blockTexts(p.editor).slice(1))}`);
  console.log(`${what.padEnd(14)} ${texts.join(' ')}`);
}

/** Types letter by letter; returns whether every letter went in (a lost caret stops the word). */
function typeWord(h: Hub, peer: Peer, text: string, random: () => number): boolean {
  // A notetaker whose caret went away (its block was deleted under it) clicks into the notes again.
  if (peer.editor.getEditorState().read(() => !$isRangeSelection($getSelection()))) caretTo(peer, random, () => '');
  for (const ch of text) {
    let typed = false;
    update(peer, () => {
      const selection = $getSelection();
      if ($isRangeSelection(selection)) {
        selection.insertText(ch);
        typed = true;
      }
    });
    if (process.env.FUZZ_VERBOSE) trace(h, `${peer.name} '${ch}'`);
    if (!typed) return false;
    someDelivery(h, random);
  }
  return true;
}

function run(seed: number, rounds: number, ops: readonly string[], runLag = MAX_LAG): { lines: string[]; kinds: string[]; log: string[]; kept: Array<{ name: string; word: string }> } {
  lag = runLag;
  const pick = picker(process.env.FUZZ_OPS ? process.env.FUZZ_OPS.split(',') : ops);
  const random = seededRandom(seed);
  hub = Hub.written(() => $getRoot().append($createHeadingNode('h3').append($createTextNode('09:00 WELCOME')), $createParagraphNode()));
  const h = hub;
  const writers = ['ann', 'ben', 'cat'].map((name) => h.join(name, { rescue: true }));
  const follower = h.join('fay', { readOnly: true });
  table = new ServerTable(h.doc, seed);
  for (const peer of writers) caretTo(peer, random, () => '');
  const log: string[] = [];
  /** Words each notetaker typed since its last undo or redo: they must all be in the notes. */
  const kept = new Map(writers.map((peer) => [peer.name, [] as string[]]));
  for (let round = 0; round < rounds; round++) {
    for (const peer of writers) {
      const alphabet = ALPHABETS[peer.name]!;
      const word = () => Array.from({ length: 3 + Math.floor(random() * 4) }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
      const [name, op] = pick(random);
      log.push(`${round} ${peer.name} ${name}`);
      if (name === 'type') {
        const typed = word();
        if (typeWord(h, peer, ` ${typed} `, random)) kept.get(peer.name)!.push(typed);
      } else {
        op(peer, random, word);
        // Undo and redo may take back anything this notetaker typed so far.
        if (name === 'undo' || name === 'redo') kept.set(peer.name, []);
      }
      someDelivery(h, random);
    }
  }
  h.settle();
  // The page's drift guard, once everyone is quiet: an editor that no longer shows its document
  // is rebuilt from it. A rebuilt editor may write (Lexical merges two adjacent text nodes the
  // document kept apart), and that change is a new one for the others' guards to check, as on the
  // page: so until every editor shows its document, or three rounds (never needed twice so far).
  for (let guard = 0; guard < 3 && h.peers.some((peer) => !showsItsDocument(peer)); guard++) {
    for (const peer of h.peers) if (!showsItsDocument(peer)) peer.resync();
    h.settle();
  }
  // The table the passes built equals what the settled document says.
  table.pass();
  h.settle();
  table.pass();
  expect([...table.rows.values()].map(row).sort(), `seed ${seed}: the incremental table differs from a first pass over the document\n${log.join('\n')}`).toEqual(firstPass(h.doc));
  table = null;
  if (h.peers.some((p) => p.resyncs > 0)) console.log(`seed ${seed}: rebuilt by the drift guard: ${h.peers.filter((p) => p.resyncs > 0).map((p) => p.name).join(', ')}`);
  // The server's document as a fresh reader reads it (what the notes export shows).
  const document = readNotesState(h.doc);
  const expected = notesOutline(document);
  for (const peer of [...writers, follower]) {
    const shown = notesOutline(peer.editor.getEditorState().toJSON());
    if (JSON.stringify(shown) !== JSON.stringify(expected)) {
      throw new Error(`seed ${seed}: ${peer.name} drifted from the document\n--- ${peer.name}\n${shown.join('\n')}\n--- document\n${expected.join('\n')}\n${log.join('\n')}`);
    }
  }
  expect(follower.writes, `seed ${seed}: the follower wrote`).toBe(0);
  // The server extracts actions with its Yjs-level reader: it must read what Lexical reads.
  expect(differencesFromLexical(h.doc), `seed ${seed}: the Yjs-level reader disagrees with $readBlocks`).toEqual([]);
  // Every table is a grid on every page: a row added while someone added a column was completed
  // by its author (client/editor/table-ops.ts), and everyone got the cells.
  const shapes = h.peers.map((peer) => `${peer.name}: ${tableShapes(peer).join(' / ')}`);
  for (const peer of h.peers) expect(tableShapes(peer), `seed ${seed}: table rows' widths\n${shapes.join('\n')}\n${log.join('\n')}`).toEqual(tableShapes(writers[0]!));
  expect(unevenTables(writers[0]!), `seed ${seed}: tables left uneven\n${shapes.join('\n')}\n${log.join('\n')}`).toEqual([]);
  return { lines: expected.map((line) => line.split('|').slice(3).join('|')), kinds: expected.map((line) => line.split('|')[2]!), log, kept: [...kept].flatMap(([name, words]) => words.map((word) => ({ name, word }))) };
}

/**
 * Words whose letters switch between notetakers' alphabets twice or more: interleaved typing
 * ("aXbY"). A single switch is two words that lost the space between them (an undone or deleted
 * space, or Backspace joining two lines), not scrambled text.
 */
function interleaved(lines: string[]): string[] {
  const owner = (ch: string) => Object.keys(ALPHABETS).find((name) => ALPHABETS[name]!.includes(ch));
  return lines
    .flatMap((line) => line.match(/[a-u]+/g) ?? [])
    .filter((word) => [...word].filter((ch, i) => i > 0 && owner(ch) !== owner(word[i - 1]!)).length >= 2);
}

/**
 * Whether a typed word is in the notes, all its letters in order, with at most one gap holding
 * other notetakers' words: a caret put right behind someone's unfinished word follows their
 * letters until its own first keystroke, so at two keystrokes of latency, or with a line moved at
 * that moment, one word may begin inside the other (README "Known limits"; the caret rules keep
 * it to one cut, and `interleaved` catches anything more). Starting at one spot in the same
 * instant cuts nothing any more: test/client/same-spot-start.test.ts holds every sentence whole.
 */
function present(text: string, word: string, alphabet: string): boolean {
  const others = `[^${alphabet}]*`;
  // Anchored at each place the word could start: the leftmost match may be the word's letters
  // strewn over other words, with the word itself whole further on.
  const pattern = new RegExp([...word].map((ch) => `(${ch})`).join(`(${others})`), 'y');
  for (let start = text.indexOf(word[0]!); start !== -1; start = text.indexOf(word[0]!, start + 1)) {
    pattern.lastIndex = start;
    const match = pattern.exec(text);
    if (!match) continue;
    const gaps = match.slice(1).filter((_, i) => i % 2 === 1);
    if (gaps.filter((gap) => gap.length > 0).length <= 1) return true;
  }
  return false;
}

/** The typed words that are not whole in the notes' text. */
function notWhole(text: string, kept: Array<{ name: string; word: string }>): string[] {
  return kept.filter(({ word, name }) => !present(text, word, ALPHABETS[name]!)).map(({ word }) => word);
}

/** Each table an editor shows, as its rows' widths ("3,3,2"). */
function tableShapes(peer: Peer): string[] {
  return peer.editor.getEditorState().read(() =>
    $getRoot()
      .getChildren()
      .filter($isTableNode)
      .map((table) => table.getChildren().map((row) => (row as unknown as { getChildrenSize(): number }).getChildrenSize()).join(',')),
  );
}

/** The tables whose rows are not all as wide. */
const unevenTables = (peer: Peer): string[] => tableShapes(peer).filter((widths) => new Set(widths.split(',')).size > 1);

const SEEDS = Array.from({ length: Number(process.env.FUZZ_SEEDS ?? 40) }, (_, i) => i + 1);
const SEEDS_AT_LAG_2 = Array.from({ length: 40 }, (_, i) => i + 1);
const COVERED = ['type', 'move the caret', 'enter', 'backspace at line start', 'tick', 'paste a list'];
const EVERYTHING = OPS.map(([, name]) => name);
const WITH_TABLES = [...COVERED, ...TABLE_OPS.map(([, name]) => name)];

describe('three notetakers and a follower, seeded random concurrency', () => {
  test.each(SEEDS)('seed %i: typing, Enter, joining lines, ticking and pasting lists lose and scramble nothing', (seed) => {
    const { lines, log, kept } = run(seed, 30, COVERED);
    expect(interleaved(lines), `seed ${seed}\n${lines.join('\n')}\n${log.join('\n')}`).toEqual([]);
    const text = lines.join('\n');
    const missing = notWhole(text, kept);
    expect(missing, `seed ${seed}: typed words missing from\n${text}\n${log.join('\n')}`).toEqual([]);
  });

  // Tables: notetakers insert them, type into their cells (a caret put at a table's end is in its
  // last cell) and add rows and columns at once. Every editor ends equal to the document, the
  // server's readers agree with Lexical, and no word typed into a cell is lost or scrambled.
  test.each(SEEDS.slice(0, 20))('seed %i: with tables, typed into and grown by several at once, nothing is lost or scrambled', (seed) => {
    const { lines, kinds, log, kept } = run(seed, 30, WITH_TABLES);
    expect(kinds, `seed ${seed}: no table was made\n${log.join('\n')}`).toContain('table');
    expect(interleaved(lines), `seed ${seed}\n${lines.join('\n')}\n${log.join('\n')}`).toEqual([]);
    const text = lines.join('\n');
    expect(notWhole(text, kept), `seed ${seed}: typed words missing from\n${text}\n${log.join('\n')}`).toEqual([]);
  });

  // A ratchet over more seeds: it may only go down. Of seeds 21–300, one (278) loses one letter:
  // a word typed at the end of a line in a cell while another notetaker joins that line onto the
  // one above (Backspace at its start). Every editor still equals the document in all of them.
  test('with tables: at most 1 word typed is not whole over seeds 21–300, and nothing is interleaved', () => {
    const losing: string[] = [];
    for (let seed = 21; seed <= 300; seed++) {
      const { lines, log, kept } = run(seed, 30, WITH_TABLES);
      expect(interleaved(lines), `seed ${seed}\n${lines.join('\n')}\n${log.join('\n')}`).toEqual([]);
      const missing = notWhole(lines.join('\n'), kept);
      if (missing.length > 0) losing.push(`seed ${seed}: ${missing.join(' ')}`);
    }
    expect(losing.length, losing.join('\n')).toBeLessThanOrEqual(1);
  });

  // Two keystrokes of latency (a slow link): plain typing, joins and ticks keep every word whole;
  // a word typed into a line someone splits with Enter or a paste at that moment can still lose a
  // letter (the README's "Known limits"). A ratchet on that count: it may only go down (2 of these
  // 40 seeds on 2026-12-03, 5 before the rescue learned to recognise copies lacking a few letters).
  test('at two keystrokes of latency: nothing interleaved, and at most 2 of 40 seeds lose a letter of a word', () => {
    const losing: string[] = [];
    for (const seed of SEEDS_AT_LAG_2) {
      const { lines, log, kept } = run(seed, 30, COVERED, 2);
      expect(interleaved(lines), `seed ${seed} at lag 2\n${lines.join('\n')}\n${log.join('\n')}`).toEqual([]);
      const text = lines.join('\n');
      const missing = notWhole(text, kept);
      if (missing.length > 0) losing.push(`seed ${seed}: ${missing.join(' ')}`);
    }
    if (losing.length > 0) console.log(`at lag 2, words typed into a line moved at that moment and not whole: ${losing.join('; ')}`);
    expect(losing.length, losing.join('\n')).toBeLessThanOrEqual(2);
  });

  // Seed 129 at two keystrokes of latency ended with one notetaker's document in another order
  // than the server's (same items, so no drift guard could see it): a redo put text back between
  // neighbours traced out of order, and the page that made it placed it elsewhere than every
  // other copy did (yjs patch 11, scripts/patch-lexical-yjs.mjs).
  test('seed 129 at two keystrokes of latency, with undo, redo and nesting: every editor equals the document', () => {
    const { lines, log } = run(129, 30, EVERYTHING, 2);
    expect(interleaved(lines), `seed 129 at lag 2\n${lines.join('\n')}\n${log.join('\n')}`).toEqual([]);
  });

  // With undo, redo and nesting in the mix, every editor still ends equal to the document and no
  // word is interleaved; a word typed while another notetaker's undo or un-nesting takes back the
  // line it was in can still be lost (the README's "Known limits"), so that is counted, not required
  // of each seed, and a ratchet bounds the count below.
  test.each(SEEDS)('seed %i: with undo, redo and nesting too, every editor equals the document and nothing is interleaved', (seed) => {
    const { lines, log, kept } = run(seed, 30, EVERYTHING);
    expect(interleaved(lines), `seed ${seed}\n${lines.join('\n')}\n${log.join('\n')}`).toEqual([]);
    const text = lines.join('\n');
    const lost = notWhole(text, kept);
    if (lost.length > 0) console.log(`seed ${seed}: ${lost.length} of ${kept.length} words typed after the typist's last undo are gone: ${lost.join(' ')}`);
  });

  // A ratchet on those lost words: it may only go down. Over seeds 1–40, 31 words were lost in 7
  // seeds while an undo deleted the lines it had made with whatever others had typed into them,
  // and an empty text node an undo left put receiving editors one child off (1,000 seeds: 848
  // words in 299 seeds); 3 in 2 seeds since the undo keeps lines others wrote in and editors delete
  // empty text nodes (1,000 seeds: 103 in 45); 1 in 1 seed since an editor's clean-up after an undo
  // no longer empties the redo stack and undo and redo move the caret (1,000 seeds: 78 in 39,
  // against 87 in 45 just before). The bound stays at 3: the undo groups edits made within half a
  // second of each other, so a run slowed by a busy machine can group them otherwise.
  test('with undo, redo and nesting: at most 3 words typed after the typist\'s last undo are lost over seeds 1–40', () => {
    const losing: string[] = [];
    let lostWords = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const { lines, kept } = run(seed, 30, EVERYTHING);
      const lost = notWhole(lines.join('\n'), kept);
      lostWords += lost.length;
      if (lost.length > 0) losing.push(`seed ${seed}: ${lost.join(' ')}`);
    }
    expect(lostWords, losing.join('\n')).toBeLessThanOrEqual(3);
  });
});

