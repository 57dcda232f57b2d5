// Keeps a notetaker's own typing with the text it belongs to when someone else moves that text at
// the same moment.
//
// Lexical's Yjs binding has no "move": Enter in the middle of a line, Backspace joining a line onto
// the one above, and nesting a list item all delete the moved nodes and write copies of them
// elsewhere. Characters that another notetaker typed into the moved part while the move was in
// flight are not in the copy: after a split they stay behind in the old line (their sentence is
// cut in two), and after a join or nesting they vanish with the deleted block. Only the typist
// can put them right, because only the typist knows which characters the mover had not seen.
//
// So, after every remote transaction, this looks for the local client's own characters that it
// moved or killed without knowing them:
//   - casualties: our characters deleted in the transaction although the remote update did not
//     delete them (they went down with a block the remote deleted), and
//   - orphans: our characters still in place right after a run the remote deleted,
// finds where the remote copied that run (its text, among the characters the transaction
// inserted), and writes our characters again right after the copy of the character they followed,
// moving the caret along when it was there. Nothing happens when no copy is found (an ordinary
// deletion of someone else's text, or a Backspace): deleting is not moving.
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

interface Run {
  /** Our items, in document order, all in one parent. */
  items: Y.Item[];
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
      // characters that is the same loss as a casualty, so they are rescued the same way.
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

  const onAfter = (transaction: Y.Transaction): void => {
    if (transaction !== applying || !incoming) return;
    applying = null;
    const update = incoming;
    incoming = null;
    const found = affectedRuns(transaction, doc.clientID, update, nested);
    nested = [];
    if (!found) return;
    const plans: Array<{ run: Run; target: Target }> = [];
    const homeless: Run[] = [];
    for (const run of found.runs) {
      const target = findCopyTarget(transaction, found.explicit, run);
      if (target) plans.push({ run, target });
      else if (!run.orphan) homeless.push(run);
    }
    if (plans.length === 0 && homeless.length === 0) return;
    const caret = caretBefore;
    // A new transaction of our own, run by Yjs right after this one's observers.
    doc.transact(() => {
      const carets = plans.map(({ run, target }) => ({ run, position: Y.createRelativePositionFromTypeIndex(target.parent, target.index, -1) }));
      // Blocks deleted with our typing in them, and where they were, before anything moves.
      const rebuilt = rebuildPlans(homeless);
      for (const { run } of plans) {
        if (!run.orphan) continue;
        for (const item of run.items) deleteItem(item);
      }
      let caretTarget: Y.RelativePosition | null = null;
      for (const { run, position } of carets) {
        const at = Y.createAbsolutePositionFromRelativePosition(position, doc);
        if (!at) continue;
        const parent = at.type as Y.XmlText;
        parent.insert(at.index, run.text);
        rescued += run.text.length;
        if (caret && caretInRun(caret, run)) caretTarget = Y.createRelativePositionFromTypeIndex(parent, at.index + run.text.length, -1);
      }
      for (const plan of rebuilt) {
        const block = rebuildBlock(plan);
        if (!block) continue;
        rescued += plan.text.length;
        if (caret && plan.runs.some((run) => caretInRun(caret, run))) caretTarget = Y.createRelativePositionFromTypeIndex(block, block.length, -1);
      }
      if (caretTarget && options.awareness) {
        const state = options.awareness.getLocalState();
        if (state) options.awareness.setLocalState({ ...state, anchorPos: caretTarget, focusPos: caretTarget });
      }
    }, RESCUE_ORIGIN);
  };

  doc.on('beforeTransaction', onBefore);
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
      doc.off('afterTransaction', onAfter);
    },
  };
}

// ---- finding our runs ------------------------------------------------------------------------

/** Our runs this transaction moved or killed unseen, and what the remote update itself deleted. */
function affectedRuns(
  transaction: Y.Transaction,
  me: number,
  update: Uint8Array,
  nested: Y.Transaction[],
): { runs: Run[]; explicit: Y.Transaction['deleteSet'] } | null {
  const deleted = transaction.deleteSet;
  if (deleted.clients.size === 0) return null;
  const candidates = new Set<Y.Item>();
  // Casualties: ours, deleted in this transaction or by the binding while it rendered it.
  const store = transaction.doc.store;
  for (const ds of [deleted, ...nested.map((t) => t.deleteSet)]) {
    for (const range of ds.clients.get(me) ?? []) {
      for (const item of itemsIn(store, me, range.clock, range.len)) if (item.content instanceof Y.ContentString) candidates.add(item);
    }
  }
  // Orphans: ours, visible, right after something deleted in this transaction.
  deleted.clients.forEach((ranges, client) => {
    for (const range of ranges) {
      for (const item of itemsIn(store, client, range.clock, range.len)) {
        let right = item.right;
        while (right && right.deleted) right = right.right;
        if (right && right.id.client === me && right.content instanceof Y.ContentString && isRightAfterDeletion(right, deleted)) candidates.add(right);
      }
    }
  });
  if (candidates.size === 0) return null;
  // What the remote deleted itself; the rest of what this transaction deleted went down with it.
  const explicit = Y.decodeUpdate(update).ds;
  const ours = [...candidates].filter((item) => (item.deleted ? !Y.isDeleted(explicit, item.id) : true));
  return ours.length === 0 ? null : { runs: groupRuns(ours), explicit };
}

/** The nearest item to the left that is not an old tombstone was deleted by this transaction. */
function isRightAfterDeletion(item: Y.Item, deleted: Y.Transaction['deleteSet']): boolean {
  let left = item.left;
  while (left && left.deleted && !Y.isDeleted(deleted, left.id)) left = left.left;
  return left !== null && Y.isDeleted(deleted, left.id);
}

/** Consecutive items of one parent (ignoring old tombstones between them) form one run. */
function groupRuns(items: Y.Item[]): Run[] {
  const set = new Set(items);
  const runs: Run[] = [];
  const seen = new Set<Y.Item>();
  for (const item of items) {
    if (seen.has(item)) continue;
    // Walk to the first item of this run.
    let first = item;
    for (let left = previousRelevant(first); left && set.has(left); left = previousRelevant(first)) first = left;
    const run: Y.Item[] = [];
    for (let next: Y.Item | null = first; next && set.has(next); next = nextRelevant(next)) {
      run.push(next);
      seen.add(next);
    }
    runs.push({
      items: run,
      text: run.map((i) => (i.content as Y.ContentString).str).join(''),
      orphan: !run[0]!.deleted,
    });
  }
  return runs;
}

function previousRelevant(item: Y.Item): Y.Item | null {
  let left = item.left;
  while (left && left.deleted && left.content instanceof Y.ContentDeleted) left = left.left;
  return left;
}

function nextRelevant(item: Y.Item): Y.Item | null {
  let right = item.right;
  while (right && right.deleted && right.content instanceof Y.ContentDeleted) right = right.right;
  return right;
}

// ---- finding the copy ------------------------------------------------------------------------

/**
 * Where the remote copied the text our run followed: the moved text is the run of characters this
 * transaction deleted around the run's left neighbour, and the copy is the same text among the
 * characters it inserted.
 */
function findCopyTarget(transaction: Y.Transaction, explicit: Y.Transaction['deleteSet'], run: Run): Target | null {
  const first = run.items[0]!;
  // The moved text before our run (what it followed) and after it: what the remote deleted
  // itself, up to the nearest character still in place.
  let before = '';
  for (let left = first.left; left && left.deleted; left = left.left) {
    if (Y.isDeleted(explicit, left.id) && left.content instanceof Y.ContentString) before = left.content.str + before;
  }
  let after = '';
  for (let right = run.items[run.items.length - 1]!.right; right && right.deleted; right = right.right) {
    if (Y.isDeleted(explicit, right.id) && right.content instanceof Y.ContentString) after += right.content.str;
  }
  void transaction;
  const moved = before + after;
  if (moved === '') return null;
  for (const copy of insertedTexts(transaction)) {
    const at = copy.text.indexOf(moved);
    if (at < 0) continue;
    return { parent: copy.parent, index: copy.indexOf(at + before.length) };
  }
  return null;
}

interface InsertedText {
  parent: Y.XmlText;
  text: string;
  /** The parent's index of the character at `offset` in `text` (or just after the last). */
  indexOf(offset: number): number;
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

/**
 * A block the remote deleted (it was empty, or its text was deleted, as the remote saw it) while
 * we typed into it. There is no copy to follow, so the block is written again where it was,
 * with its kind and our characters: deleting someone's empty line must not delete what they were
 * typing into it.
 */
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
    const block = run.items[0]!.parent;
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
        position: Y.createRelativePositionFromTypeIndex(parent, indexOf(top._item), -1),
        runs: [],
        text: '',
        textNode: precedingTextNode(run.items[0]!),
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

/** The index of an item among its parent's visible content (where it stood, if deleted). */
function indexOf(item: Y.Item): number {
  let index = 0;
  for (let left = item.left; left; left = left.left) if (!left.deleted && left.countable) index += left.length;
  return index;
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

function deleteItem(item: Y.Item): void {
  const parent = item.parent as Y.XmlText;
  let index = 0;
  for (let i = parent._start; i && i !== item; i = i.right) if (!i.deleted && i.countable) index += i.length;
  parent.delete(index, item.length);
}

function caretInRun(caret: CaretState, run: Run): boolean {
  const position = caret.anchorPos as { item?: { client: number; clock: number } | null } | undefined;
  const id = position?.item;
  if (!id) return false;
  return run.items.some((item) => item.id.client === id.client && id.clock >= item.id.clock && id.clock < item.id.clock + item.length);
}
