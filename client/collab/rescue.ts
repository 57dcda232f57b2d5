// Keeps a notetaker's own typing with the text it belongs to when someone else moves that text at
// the same moment.
//
// Lexical's Yjs binding has no "move": Enter in the middle of a line, Backspace joining a line onto
// the one above, nesting a list item and turning a line into a heading all delete the moved nodes
// and write copies of them elsewhere. The copy holds what the mover's editor showed; characters
// another notetaker typed into the moved part while the move was in flight are not in it: after a
// split they stay behind in the old line (their sentence cut in two), after a join or nesting they
// vanish with the deleted block. Only the typist can put them right, and only the typist knows
// which characters are its own.
//
// So, around every remote transaction that deletes something:
//   - before the editor renders it, if the character the caret stands by was moved, the caret is
//     pointed at that character's copy (otherwise the editor recovers a caret whose character
//     vanished by putting it in the previous block, and the next keystrokes land there);
//   - after it, our characters that were deleted, or left behind right after a deleted run, and
//     that the copy does not hold, are written again right after the copy of the character they
//     followed, the caret along with them.
// The copy is found by aligning the deleted text with the text the transaction inserted (their
// longest common subsequence), not by asking which deletions the remote made itself: deleting a
// block deletes everything the mover's document held in it, including letters its editor had not
// yet shown, so "deleted by the remote" does not mean "copied by the remote".
// When nothing was copied (someone deleted a line that was empty for them while we typed into
// it), our characters that went down with the block, and that the remote did not delete itself,
// are written again as a block of the same kind where it stood: deleting is not moving, but
// nobody meant to delete what they could not see.
//
// Pure Yjs, no DOM: the page uses it on its session document, tests on headless peers.
import * as Y from 'yjs';
import type { Awareness } from 'y-protocols/awareness';

/** Transaction origin of the re-written characters (a local edit: sent, counted, undoable by no one). */
export const RESCUE_ORIGIN = Symbol('quorum:rescue');

export interface MoveRescue {
  /** Applies a remote update through `apply`, then rescues what it moved. */
  receiving(update: Uint8Array, apply: () => void): void;
  /** Characters re-written so far (for tests and diagnostics). */
  readonly rescued: number;
  dispose(): void;
}

export interface MoveRescueOptions {
  /** Whether a transaction's origin is the network (the provider). */
  isRemote(origin: unknown): boolean;
  /** Where @lexical/yjs keeps this client's caret (`anchorPos`/`focusPos` relative positions). */
  awareness?: Awareness;
}

type Struct = Y.Item | Y.GC;
type DeleteSet = Y.Transaction['deleteSet'];

/** One character of a string item. */
interface Char {
  item: Y.Item;
  offset: number;
  ch: string;
}

/** A run of our characters that must be written again, in document order. */
interface Run {
  chars: Char[];
  text: string;
  /** Still visible (left behind by a split) rather than deleted with their block. */
  orphan: boolean;
}

interface Target {
  parent: Y.XmlText;
  index: number;
}

interface CaretState {
  anchorPos?: unknown;
  focusPos?: unknown;
}

interface RelativeId {
  item?: { client: number; clock: number } | null;
  assoc?: number;
}

export function createMoveRescue(doc: Y.Doc, options: MoveRescueOptions): MoveRescue {
  let incoming: Uint8Array | null = null;
  let caretBefore: CaretState | null = null;
  /** The remote transaction being applied, and the transactions its observers started. */
  let applying: Y.Transaction | null = null;
  let nested: Y.Transaction[] = [];
  let rescued = 0;

  const onBefore = (transaction: Y.Transaction): void => {
    if (applying) {
      // Lexical's binding, rendering a remote change, deletes "dangling text" (characters left
      // after a text node whose marker the remote deleted) in a transaction of its own: for our
      // characters that is the same loss, rescued the same way.
      nested.push(transaction);
      return;
    }
    if (incoming && options.isRemote(transaction.origin)) {
      applying = transaction;
      nested = [];
      const state = options.awareness?.getLocalState() as CaretState | null | undefined;
      caretBefore = state ? { anchorPos: state.anchorPos, focusPos: state.focusPos } : null;
    }
  };

  const onBeforeObservers = (transaction: Y.Transaction): void => {
    if (transaction !== applying || !options.awareness || transaction.deleteSet.clients.size === 0) return;
    const target = caretTarget(transaction, doc, caretBefore);
    if (!target) return;
    const state = options.awareness.getLocalState();
    if (state) options.awareness.setLocalState({ ...state, anchorPos: target, focusPos: target });
  };

  const onAfter = (transaction: Y.Transaction): void => {
    if (transaction !== applying || !incoming) return;
    applying = null;
    const update = incoming;
    incoming = null;
    const rendering = nested;
    nested = [];
    rescueMoved(transaction, update, rendering);
    rescueStranded([transaction, ...rendering]);
  };

  /** Our letters a move deleted or left behind go after their copy (or into a rebuilt block). */
  const rescueMoved = (transaction: Y.Transaction, update: Uint8Array, rendering: Y.Transaction[]): void => {
    const deleted = [transaction.deleteSet, ...rendering.map((t) => t.deleteSet)];
    if (transaction.deleteSet.clients.size === 0) return;
    const runs = ourRuns(transaction, deleted, doc.clientID);
    if (runs.length === 0) return;
    const copies = insertedTexts(transaction);
    const plans: Array<{ run: Run; position: Y.RelativePosition; fresh: boolean }> = [];
    const homeless: Run[] = [];
    let explicit: DeleteSet | null = null;
    for (const run of runs) {
      const pieces = copyPieces(transaction, copies, run);
      if (pieces) {
        for (const { run: piece, target } of pieces) {
          const { parent, index, fresh } = besideLink(target);
          plans.push({ run: piece, position: Y.createRelativePositionFromTypeIndex(parent, index, -1), fresh });
        }
        continue;
      }
      if (run.orphan) continue;
      // No copy: a deletion. Only what went down with a block the remote deleted is ours to keep.
      explicit ??= Y.decodeUpdate(update).ds;
      const unseen = run.chars.filter((c) => !Y.isDeleted(explicit!, idOf(c)));
      if (unseen.length === run.chars.length) homeless.push(run);
    }
    if (plans.length === 0 && homeless.length === 0) return;
    const caret = caretBefore;
    // A new transaction of our own, run by Yjs right after this one's observers.
    doc.transact(() => {
      const rebuilt = rebuildPlans(homeless);
      for (const { run } of plans) if (run.orphan) deleteChars(run.chars);
      let moved: Y.RelativePosition | null = null;
      for (const { run, position, fresh } of plans) {
        const at = Y.createAbsolutePositionFromRelativePosition(position, doc);
        if (!at) continue;
        const parent = at.type as Y.XmlText;
        const index = fresh ? insertTextNode(parent, at.index, precedingTextNode(run.chars[0]!.item)) : at.index;
        parent.insert(index, run.text);
        rescued += run.text.length;
        if (caret && caretInRun(caret, run)) moved = Y.createRelativePositionFromTypeIndex(parent, index + run.text.length, -1);
      }
      for (const plan of rebuilt) {
        const block = rebuildBlock(plan);
        if (!block) continue;
        rescued += plan.text.length;
        if (caret && plan.runs.some((run) => caretInRun(caret, run))) moved = Y.createRelativePositionFromTypeIndex(block, block.length, -1);
      }
      if (moved && options.awareness) {
        const state = options.awareness.getLocalState();
        if (state) options.awareness.setLocalState({ ...state, anchorPos: moved, focusPos: moved });
      }
    }, RESCUE_ORIGIN);
  };

  /**
   * Our letters that the change left in the Yjs run of a tab or a line break (their own text
   * node deleted under them): Lexical shows a tab as one tab and a line break as nothing, so
   * they are in the document but on nobody's screen. They move into a text node of their own,
   * in place; the caret follows them.
   */
  const rescueStranded = (transactions: Y.Transaction[]): void => {
    const parents = new Set<Y.XmlText>();
    for (const t of transactions) for (const type of t.changed.keys()) if (type instanceof Y.XmlText) parents.add(type);
    const found = [...parents].flatMap((parent) => strandedRuns(parent, doc.clientID));
    if (found.length === 0) return;
    const caret = options.awareness?.getLocalState() as CaretState | null | undefined;
    doc.transact(() => {
      let moved: Y.RelativePosition | null = null;
      // Last first in each parent, so that earlier indices stay valid.
      for (const run of found.reverse()) {
        const { parent, index, chars } = run;
        const text = chars.map((c) => c.ch).join('');
        parent.delete(index, text.length);
        parent.insert(insertTextNode(parent, index, precedingTextNode(chars[0]!.item)), text);
        rescued += text.length;
        if (caret && caretInRun(caret, { chars, text, orphan: true })) moved = Y.createRelativePositionFromTypeIndex(parent, index + 1 + text.length, -1);
      }
      if (moved && options.awareness) {
        const state = options.awareness.getLocalState();
        if (state) options.awareness.setLocalState({ ...state, anchorPos: moved, focusPos: moved });
      }
    }, RESCUE_ORIGIN);
  };

  doc.on('beforeTransaction', onBefore);
  doc.on('beforeObserverCalls', onBeforeObservers);
  doc.on('afterTransaction', onAfter);
  return {
    receiving(update, apply) {
      incoming = update;
      try {
        apply();
      } finally {
        incoming = null;
        caretBefore = null;
        applying = null;
        nested = [];
      }
    },
    get rescued() {
      return rescued;
    },
    dispose() {
      doc.off('beforeTransaction', onBefore);
      doc.off('beforeObserverCalls', onBeforeObservers);
      doc.off('afterTransaction', onAfter);
    },
  };
}

// ---- our characters --------------------------------------------------------------------------

/**
 * Our characters the transaction (or the binding while rendering it) deleted, and our visible
 * characters right after characters it deleted: grouped into runs of one parent.
 */
function ourRuns(transaction: Y.Transaction, deleted: DeleteSet[], me: number): Run[] {
  const store = transaction.doc.store;
  const picked = new Set<Y.Item>();
  for (const ds of deleted) {
    for (const range of ds.clients.get(me) ?? []) {
      for (const item of itemsIn(store, me, range.clock, range.len)) if (item.content instanceof Y.ContentString) picked.add(item);
    }
  }
  transaction.deleteSet.clients.forEach((ranges, client) => {
    for (const range of ranges) {
      for (const item of itemsIn(store, client, range.clock, range.len)) {
        let right = item.right;
        while (right && right.deleted) right = right.right;
        if (right && right.id.client === me && right.content instanceof Y.ContentString) picked.add(right);
      }
    }
  });
  const runs: Run[] = [];
  const seen = new Set<Y.Item>();
  for (const item of picked) {
    if (seen.has(item)) continue;
    let first = item;
    for (let left = previousString(first); left && picked.has(left) && left.deleted === item.deleted; left = previousString(first)) first = left;
    const chars: Char[] = [];
    for (let next: Y.Item | null = first; next && picked.has(next) && next.deleted === item.deleted; next = nextString(next)) {
      seen.add(next);
      chars.push(...charsOf(next));
    }
    runs.push({ chars, text: chars.map((c) => c.ch).join(''), orphan: !item.deleted });
  }
  return runs;
}

function charsOf(item: Y.Item): Char[] {
  const str = (item.content as Y.ContentString).str;
  return [...str].map((ch, offset) => ({ item, offset, ch }));
}

function idOf(c: Char): Y.ID {
  return Y.createID(c.item.id.client, c.item.id.clock + c.offset);
}

/** The neighbouring string item, skipping old tombstones (whose text is gone). */
function previousString(item: Y.Item): Y.Item | null {
  let left = item.left;
  while (left && left.deleted && !(left.content instanceof Y.ContentString)) left = left.left;
  return left && left.content instanceof Y.ContentString ? left : null;
}

function nextString(item: Y.Item): Y.Item | null {
  let right = item.right;
  while (right && right.deleted && !(right.content instanceof Y.ContentString)) right = right.right;
  return right && right.content instanceof Y.ContentString ? right : null;
}

// ---- the copy ---------------------------------------------------------------------------------

/**
 * The characters deleted in this transaction around a position: walking out from `from` over
 * characters this transaction deleted (old tombstones and text-node markers are passed over),
 * up to the nearest character still in place on each side.
 */
function movedAround(transaction: Y.Transaction, first: Y.Item, last: Y.Item): { before: Char[]; after: Char[] } {
  const deletedHere = (item: Y.Item) => item.deleted && Y.isDeleted(transaction.deleteSet, item.id);
  const before: Char[] = [];
  for (let left = first.left; left; left = left.left) {
    if (!left.deleted) {
      if (left.content instanceof Y.ContentString) break;
      continue;
    }
    if (deletedHere(left) && left.content instanceof Y.ContentString) before.unshift(...charsOf(left));
  }
  const after: Char[] = [];
  for (let right = last.right; right; right = right.right) {
    if (!right.deleted) {
      if (right.content instanceof Y.ContentString) break;
      continue;
    }
    if (deletedHere(right) && right.content instanceof Y.ContentString) after.push(...charsOf(right));
  }
  return { before, after };
}

/**
 * Where our characters go in the copy: each stretch of them the copy does not hold goes right
 * after the copy of the last copied character before it. Null when there is no copy.
 */
function copyPieces(transaction: Y.Transaction, copies: InsertedText[], run: Run): Array<{ run: Run; target: Target }> | null {
  const key = (c: Char) => `${c.item.id.client}:${c.item.id.clock + c.offset}`;
  const ours = new Set(run.chars.map(key));
  const first = run.chars[0]!.item;
  const last = run.chars[run.chars.length - 1]!.item;
  const around = movedAround(transaction, first, last);
  // A deleted run's own items may hold copied characters too (one client's consecutive typing
  // is merged into one item), so they are part of the region the copy is aligned with.
  const region = run.orphan ? [...around.before, ...run.chars, ...around.after] : [...around.before, ...[...new Set(run.chars.map((c) => c.item))].flatMap(charsOf), ...around.after];
  const match = bestCopy(region.filter((c) => !(run.orphan && ours.has(key(c)))), copies, ours);
  if (!match) return null;
  // Indices in `region` of what the copy holds (orphans were not part of the alignment).
  const aligned = region.filter((c) => !(run.orphan && ours.has(key(c))));
  const copied = new Map<string, number>();
  aligned.forEach((c, i) => {
    const j = match.pairs.get(i);
    if (j !== undefined) copied.set(key(c), j);
  });
  const pieces: Array<{ run: Run; target: Target }> = [];
  let lastCopied = -1;
  let piece: Char[] = [];
  const flush = (): void => {
    if (piece.length === 0) return;
    const index = lastCopied >= 0 ? match.copy.indexOf(lastCopied + 1) : firstCopyIndex(match);
    pieces.push({ run: { chars: piece, text: piece.map((c) => c.ch).join(''), orphan: run.orphan }, target: { parent: match.copy.parent, index } });
    piece = [];
  };
  for (const c of region) {
    const j = copied.get(key(c));
    if (j !== undefined) {
      flush();
      lastCopied = j;
    } else if (ours.has(key(c))) {
      piece.push(c);
    }
  }
  flush();
  return pieces;
}

/**
 * Lexical never types at a link's edges (LinkNode cannot take text before or after its own): the
 * letters someone typed right after an address that another notetaker made a link at that moment
 * go after the link, not at the end of its text, and letters before its first character go before
 * it. Beside the link is the neighbouring text node, or a new one (`fresh`).
 */
function besideLink(target: Target): Target & { fresh: boolean } {
  const link = target.parent;
  const type = link.getAttribute('__type');
  const home = link._item?.parent;
  if ((type !== 'link' && type !== 'autolink') || !(home instanceof Y.XmlText)) return { ...target, fresh: false };
  const atEnd = target.index >= link.length;
  if (!atEnd && textBefore(link, target.index)) return { ...target, fresh: false };
  const linkIndex = visibleIndexOf(link._item!);
  if (atEnd) {
    const next = visibleNeighbour(link._item!, 'right');
    // Right after the next text node's marker: at the start of its text.
    if (next?.content instanceof Y.ContentType && next.content.type instanceof Y.Map && next.content.type.get('__type') === 'text') return { parent: home, index: linkIndex + 2, fresh: false };
    return { parent: home, index: linkIndex + 1, fresh: true };
  }
  const previous = visibleNeighbour(link._item!, 'left');
  return { parent: home, index: linkIndex, fresh: !(previous?.content instanceof Y.ContentString) };
}

/** Whether characters stand before `index` in `type` (not only a text node's marker). */
function textBefore(type: Y.XmlText, index: number): boolean {
  let at = 0;
  for (let item = type._start; item && at < index; item = item.right) {
    if (item.deleted || !item.countable) continue;
    if (item.content instanceof Y.ContentString) return true;
    at += item.length;
  }
  return false;
}

function visibleNeighbour(item: Y.Item, side: 'left' | 'right'): Y.Item | null {
  for (let next = item[side]; next; next = next[side]) if (!next.deleted && next.countable) return next;
  return null;
}

/** A text node's marker with these properties at `index`; returns where its text goes. */
function insertTextNode(parent: Y.XmlText, index: number, properties: Record<string, unknown>): number {
  const textNode = new Y.Map<unknown>();
  parent.insertEmbed(index, textNode);
  for (const [key, value] of Object.entries(properties)) textNode.set(key, value);
  return index + 1;
}

function firstCopyIndex(match: { copy: InsertedText; pairs: Map<number, number> }): number {
  return match.copy.indexOf(Math.min(...match.pairs.values()));
}

/** The caret's new place when the character it stands by was moved: by that character's copy. */
function caretTarget(transaction: Y.Transaction, doc: Y.Doc, caret: CaretState | null): Y.RelativePosition | null {
  const anchor = caret?.anchorPos as RelativeId | undefined;
  if (!anchor?.item || !samePosition(caret!.anchorPos, caret!.focusPos)) return null;
  const item = itemAt(doc, anchor.item);
  if (!item || !item.deleted || !(item.content instanceof Y.ContentString) || !Y.isDeleted(transaction.deleteSet, anchor.item as Y.ID)) return null;
  const at = anchor.item.clock - item.id.clock;
  const around = movedAround(transaction, item, item);
  const own = charsOf(item);
  const region = [...around.before, ...own, ...around.after];
  const match = bestCopy(region, insertedTexts(transaction), new Set(own.map((c) => `${c.item.id.client}:${c.item.id.clock + c.offset}`)));
  if (!match) return null;
  const leftOf = (anchor.assoc ?? 0) < 0;
  const index = around.before.length + at;
  // Left-associated: after the copy of the caret's character (or the nearest copied one before it).
  if (leftOf) {
    for (let i = index; i >= 0; i--) {
      const j = match.pairs.get(i);
      if (j !== undefined) return Y.createRelativePositionFromTypeIndex(match.copy.parent, match.copy.indexOf(j + 1), -1);
    }
    return null;
  }
  for (let i = index; i < region.length; i++) {
    const j = match.pairs.get(i);
    if (j !== undefined) return Y.createRelativePositionFromTypeIndex(match.copy.parent, match.copy.indexOf(j), 0);
  }
  return null;
}

interface InsertedText {
  parent: Y.XmlText;
  text: string;
  /** The parent's index of the character at `offset` in `text` (or just after the last). */
  indexOf(offset: number): number;
}

/** Letters others typed into a region that its copy may lack: what was still on its way to the mover. */
const UNSEEN_LETTERS = 3;
/** A stretch this long, in order, that is most of a region is its copy, whatever else the copy holds. */
const MIN_IN_ORDER_COPY = 8;
/** Letters either side of where a region's longest common piece lies in a copy that its alignment may use. */
const ALIGN_SLACK = UNSEEN_LETTERS + 2;

/**
 * The copy of a deleted region: the inserted text sharing the longest common subsequence with it,
 * if that holds most of what others wrote there (a move copies all the mover's editor showed,
 * which lags the document by at most a few letters) in one stretch (pasted text that happens to
 * share letters with the region is not a copy of it). Returns which region character went to
 * which copy character.
 */
function bestCopy(region: Char[], copies: InsertedText[], ours: ReadonlySet<string> = new Set()): { copy: InsertedText; pairs: Map<number, number> } | null {
  const text = region.map((c) => c.ch).join('');
  if (text.trim() === '') return null;
  // Our own characters may all be missing from it: the evidence is what others wrote there.
  const isTheirs = region.map((c) => !ours.has(`${c.item.id.client}:${c.item.id.clock + c.offset}`));
  const theirs = isTheirs.filter(Boolean).length;
  let best: { copy: InsertedText; pairs: Map<number, number> } | null = null;
  for (const copy of copies) {
    let pairs: Map<number, number>;
    if (theirs >= 3) {
      pairs = alignedAround(text, copy.text);
      const theirsCopied = [...pairs.keys()].filter((i) => isTheirs[i]).length;
      const at = [...pairs.values()];
      // The mover had not yet seen the last few letters others typed there (as we did not see it).
      if (theirsCopied < 2 || theirs - theirsCopied > Math.max(0.2 * theirs, UNSEEN_LETTERS)) continue;
      // A copy is one stretch of the copy's parent: letters that merely occur in it are not.
      if (Math.max(...at) - Math.min(...at) + 1 > pairs.size + 2) continue;
    } else {
      // Little of others' text to go by (we typed into a line that was empty, or nearly, or the
      // line is all ours): the copy must be, nearly whole, a verbatim part of what was there (a
      // short line moved), or what was there must be, nearly whole and in order, one stretch of
      // the copy (a long line of ours); a paste sharing a few letters with it is neither.
      pairs = commonSubstring(text, copy.text);
      const wholeCopy = pairs.size >= 2 && pairs.size >= 0.8 * copy.text.trim().length;
      // A long line of ours, moved while we typed into it: the copy holds it less our latest
      // letters, so in order but not in one verbatim piece; still in one stretch of the copy.
      const inOrder = alignedAround(text, copy.text);
      const at = [...inOrder.values()];
      const wholeRegion = inOrder.size >= MIN_IN_ORDER_COPY && inOrder.size >= 0.8 * text.trim().length && Math.max(...at) - Math.min(...at) + 1 <= inOrder.size + 2;
      if (wholeRegion && inOrder.size > pairs.size) pairs = inOrder;
      else if (!wholeCopy) continue;
    }
    if (!best || pairs.size > best.pairs.size) best = { copy, pairs };
  }
  return best;
}

/**
 * The longest common subsequence of a and b within the stretch of b where their longest common
 * substring lies (plus a few letters either side): a region's copy is one stretch, and a plain
 * subsequence over all of b may pair a space or a letter of the region with one far from it.
 */
function alignedAround(a: string, b: string): Map<number, number> {
  const anchor = commonSubstring(a, b);
  if (anchor.size === 0) return commonSubsequence(a, b);
  const [ai, bi] = anchor.entries().next().value as [number, number];
  const from = Math.max(0, bi - ai - ALIGN_SLACK);
  const to = Math.min(b.length, bi + (a.length - ai) + ALIGN_SLACK);
  const pairs = new Map<number, number>();
  for (const [i, j] of commonSubsequence(a, b.slice(from, to))) pairs.set(i, j + from);
  return pairs;
}

/** The longest common substring of a and b, as a map from a's indices to b's. */
function commonSubstring(a: string, b: string): Map<number, number> {
  let bestLength = 0;
  let bestA = 0;
  let bestB = 0;
  if (a.length * b.length <= 1_000_000) {
    let previous = new Uint16Array(b.length + 1);
    for (let i = 1; i <= a.length; i++) {
      const row = new Uint16Array(b.length + 1);
      for (let j = 1; j <= b.length; j++) {
        if (a[i - 1] !== b[j - 1]) continue;
        row[j] = previous[j - 1]! + 1;
        if (row[j]! > bestLength) {
          bestLength = row[j]!;
          bestA = i - bestLength;
          bestB = j - bestLength;
        }
      }
      previous = row;
    }
  }
  const pairs = new Map<number, number>();
  for (let k = 0; k < bestLength; k++) pairs.set(bestA + k, bestB + k);
  return pairs;
}

/** Longest common subsequence of a and b, as a map from a's indices to b's. */
function commonSubsequence(a: string, b: string): Map<number, number> {
  const pairs = new Map<number, number>();
  // Meeting lines are short; a very long pair is matched greedily instead of in quadratic time.
  if (a.length * b.length > 1_000_000) {
    let j = b.indexOf(a.slice(0, Math.min(8, a.length)));
    if (j < 0) return pairs;
    for (let i = 0; i < a.length && j < b.length; i++) {
      const found = b.indexOf(a[i]!, j);
      if (found < 0 || found - j > 16) continue;
      pairs.set(i, found);
      j = found + 1;
    }
    return pairs;
  }
  const rows = a.length + 1;
  const cols = b.length + 1;
  const table = new Uint32Array(rows * cols);
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      table[i * cols + j] = a[i] === b[j] ? table[(i + 1) * cols + j + 1]! + 1 : Math.max(table[(i + 1) * cols + j]!, table[i * cols + j + 1]!);
    }
  }
  for (let i = 0, j = 0; i < a.length && j < b.length; ) {
    if (a[i] === b[j]) {
      pairs.set(i, j);
      i++;
      j++;
    } else if (table[(i + 1) * cols + j]! >= table[i * cols + j + 1]!) i++;
    else j++;
  }
  return pairs;
}

/** The visible characters each parent gained in this transaction from others, in document order. */
function insertedTexts(transaction: Y.Transaction): InsertedText[] {
  const fresh = new Set<Y.Item>();
  const parents = new Set<Y.XmlText>();
  const store = transaction.doc.store;
  transaction.afterState.forEach((clock, client) => {
    const from = transaction.beforeState.get(client) ?? 0;
    if (clock <= from) return;
    for (const item of itemsIn(store, client, from, clock - from)) {
      if (item.deleted || !(item.content instanceof Y.ContentString) || !(item.parent instanceof Y.XmlText)) continue;
      fresh.add(item);
      parents.add(item.parent);
    }
  });
  const texts: InsertedText[] = [];
  for (const parent of parents) {
    let text = '';
    // Parent index of each fresh character run: [offset in text, index in parent, length].
    const spans: Array<[number, number, number]> = [];
    let index = 0;
    for (let item = parent._start; item; item = item.right) {
      if (item.deleted || !item.countable) continue;
      if (fresh.has(item)) {
        spans.push([text.length, index, item.length]);
        text += (item.content as Y.ContentString).str;
      }
      index += item.length;
    }
    texts.push({
      parent,
      text,
      indexOf(offset) {
        for (const [start, at, length] of spans) {
          if (offset >= start && offset <= start + length) return at + (offset - start);
        }
        return index;
      },
    });
  }
  return texts;
}

// ---- writing a deleted block again -----------------------------------------------------------

interface RebuildPlan {
  /** From the outermost deleted ancestor down to the block our characters were in. */
  chain: Y.XmlText[];
  /** Where the outermost one stood in its live parent. */
  position: Y.RelativePosition;
  parent: Y.XmlText;
  runs: Run[];
  text: string;
  /** The properties of the text node our characters followed. */
  textNode: Record<string, unknown>;
}

function rebuildPlans(homeless: Run[]): RebuildPlan[] {
  const plans = new Map<Y.XmlText, RebuildPlan>();
  for (const run of homeless) {
    const block = run.chars[0]!.item.parent;
    if (!(block instanceof Y.XmlText)) continue;
    const chain: Y.XmlText[] = [block];
    let top = block;
    while (top._item && top._item.deleted && top._item.parent instanceof Y.XmlText && top._item.parent._item?.deleted) {
      top = top._item.parent;
      chain.unshift(top);
    }
    const parent = top._item?.parent;
    if (!top._item || !(parent instanceof Y.XmlText)) continue;
    let plan = plans.get(block);
    if (!plan) {
      plan = {
        chain,
        parent,
        position: Y.createRelativePositionFromTypeIndex(parent, visibleIndexOf(top._item), -1),
        runs: [],
        text: '',
        textNode: precedingTextNode(run.chars[0]!.item),
      };
      plans.set(block, plan);
    }
    plan.runs.push(run);
    plan.text += run.text;
  }
  return [...plans.values()];
}

function rebuildBlock(plan: RebuildPlan): Y.XmlText | null {
  const at = Y.createAbsolutePositionFromRelativePosition(plan.position, plan.parent.doc!);
  if (!at) return null;
  let container = at.type as Y.XmlText;
  let index = at.index;
  let innermost: Y.XmlText | null = null;
  for (const original of plan.chain) {
    const copy = new Y.XmlText();
    container.insertEmbed(index, copy);
    for (const [key, value] of attributesOf(original)) copy.setAttribute(key, value as string);
    container = copy;
    index = 0;
    innermost = copy;
  }
  if (!innermost) return null;
  const textNode = new Y.Map<unknown>();
  innermost.insertEmbed(0, textNode);
  for (const [key, value] of Object.entries(plan.textNode)) textNode.set(key, value);
  innermost.insert(1, plan.text);
  return innermost;
}

/** A deleted type's own attributes (still readable until the transaction is cleaned up). */
function attributesOf(type: Y.XmlText): Array<[string, unknown]> {
  const out: Array<[string, unknown]> = [];
  type._map.forEach((item, key) => {
    // NodeState (ids) belongs to the block that was deleted: the copy is a new block.
    if (key === '__state' || !(item.content instanceof Y.ContentAny || item.content instanceof Y.ContentString)) return;
    const values = item.content.getContent();
    out.push([key, values[values.length - 1]]);
  });
  return out;
}

const PLAIN_TEXT_NODE = { __type: 'text', __format: 0, __style: '', __mode: 0, __detail: 0 };

function precedingTextNode(item: Y.Item): Record<string, unknown> {
  for (let left = item.left; left; left = left.left) {
    if (left.content instanceof Y.ContentType && left.content.type instanceof Y.Map) {
      const properties: Record<string, unknown> = {};
      left.content.type._map.forEach((entry, key) => {
        if (key === '__state' || !(entry.content instanceof Y.ContentAny || entry.content instanceof Y.ContentString)) return;
        const values = entry.content.getContent();
        properties[key] = values[values.length - 1];
      });
      return properties.__type === 'text' ? { ...PLAIN_TEXT_NODE, ...properties } : PLAIN_TEXT_NODE;
    }
  }
  return PLAIN_TEXT_NODE;
}

/** How many characters a text node of this type holds in Lexical (the rest are not shown). */
function shownLength(node: Y.Map<unknown> | null): number {
  const type = node?.get('__type');
  return type === 'tab' ? 1 : type === 'linebreak' ? 0 : Infinity;
}

/** Runs of `me`'s visible letters past what the tab or line break before them shows. */
function strandedRuns(parent: Y.XmlText, me: number): Array<{ parent: Y.XmlText; index: number; chars: Char[] }> {
  const runs: Array<{ parent: Y.XmlText; index: number; chars: Char[] }> = [];
  let node: Y.Map<unknown> | null = null;
  let seen = 0;
  let index = 0;
  let current: { parent: Y.XmlText; index: number; chars: Char[] } | null = null;
  for (let item = parent._start; item !== null; item = item.right) {
    if (item.deleted || !item.countable) continue;
    if (!(item.content instanceof Y.ContentString)) {
      node = item.content instanceof Y.ContentType && item.content.type instanceof Y.Map ? (item.content.type as Y.Map<unknown>) : null;
      seen = 0;
      current = null;
      index += item.length;
      continue;
    }
    const shown = shownLength(node);
    const text = (item.content as Y.ContentString).str;
    for (let offset = 0; offset < item.length; offset++, seen++, index++) {
      if (seen < shown || item.id.client !== me) {
        current = null;
        continue;
      }
      if (!current) runs.push((current = { parent, index, chars: [] }));
      current.chars.push({ item, offset, ch: text[offset]! });
    }
  }
  return runs;
}

// ---- Yjs helpers -----------------------------------------------------------------------------

/** The items of `client` covering clocks [clock, clock + len), split at the edges as the store has them. */
function itemsIn(store: Y.Doc['store'], client: number, clock: number, len: number): Y.Item[] {
  const structs = store.clients.get(client) as Struct[] | undefined;
  if (!structs) return [];
  const items: Y.Item[] = [];
  for (let i = Y.findIndexSS(structs as never, clock); i < structs.length; i++) {
    const struct = structs[i]!;
    if (struct.id.clock >= clock + len) break;
    if (struct instanceof Y.Item) items.push(struct);
  }
  return items;
}

function itemAt(doc: Y.Doc, id: { client: number; clock: number }): Y.Item | null {
  const structs = doc.store.clients.get(id.client) as Struct[] | undefined;
  if (!structs || structs.length === 0) return null;
  const last = structs[structs.length - 1]!;
  if (id.clock >= last.id.clock + last.length) return null;
  const struct = structs[Y.findIndexSS(structs as never, id.clock)];
  return struct instanceof Y.Item ? struct : null;
}

/** The index of an item among its parent's visible content (where it stood, if deleted). */
function visibleIndexOf(item: Y.Item): number {
  let index = 0;
  for (let left = item.left; left; left = left.left) if (!left.deleted && left.countable) index += left.length;
  return index;
}

/** Deletes visible characters, last first so that earlier indices stay valid. */
function deleteChars(chars: Char[]): void {
  for (const c of [...chars].reverse()) {
    if (c.item.deleted) continue;
    const parent = c.item.parent as Y.XmlText;
    parent.delete(visibleIndexOf(c.item) + c.offset, 1);
  }
}

function caretInRun(caret: CaretState, run: Run): boolean {
  const id = (caret.anchorPos as RelativeId | undefined)?.item;
  if (!id) return false;
  return run.chars.some((c) => c.item.id.client === id.client && c.item.id.clock + c.offset === id.clock);
}

function samePosition(a: unknown, b: unknown): boolean {
  return a === b || (a !== null && b !== null && a !== undefined && b !== undefined && Y.compareRelativePositions(a as Y.RelativePosition, b as Y.RelativePosition));
}
