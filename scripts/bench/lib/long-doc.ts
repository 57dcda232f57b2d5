/**
 * A long meeting's document: two people typing keystroke by keystroke (one edit each) into the
 * notes' paragraphs, with backspaces, Enter and caret jumps, so its history is 100,000 small
 * Lexical-shaped edits from two clients. Built once per process, deterministically.
 */
import { createHash } from 'node:crypto';
import * as Y from 'yjs';
import { appendParagraph, documentText, rootOf } from './notes-shape.js';
import { newDoc } from '../../../shared/notes/client-id.js';

export interface LongDocument {
  update: Uint8Array;
  textLength: number;
  hash: string;
  edits: number;
}

function rng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const cache = new Map<number, LongDocument>();

/**
 * `onEdit`, when given, is called after every edit with the edit's number and the document (the
 * history benchmark keeps versions along the way); such a document is not cached.
 */
export function longDocument(edits: number, onEdit?: (edit: number, doc: Y.Doc) => void): LongDocument {
  const cached = onEdit ? undefined : cache.get(edits);
  if (cached) return cached;
  const random = rng(42);
  const docs = [newDoc(), newDoc()];
  const REMOTE = Symbol('remote');
  docs[0]!.on('update', (update: Uint8Array, origin: unknown) => origin !== REMOTE && Y.applyUpdate(docs[1]!, update, REMOTE));
  docs[1]!.on('update', (update: Uint8Array, origin: unknown) => origin !== REMOTE && Y.applyUpdate(docs[0]!, update, REMOTE));
  const roots = docs.map(rootOf);
  // Each author's caret: a paragraph (in its own copy) and an offset in its text.
  const carets: Array<{ line: Y.XmlText; offset: number }> = roots.map((root) => ({ line: appendParagraph(root, ''), offset: 0 }));
  const letters = 'etaoin shrdlu cmfwyp vbgkqj xz, ETAOIN. ';
  let author = 0;
  let burst = 0;
  for (let i = 0; i < edits; i++) {
    if (burst-- <= 0) {
      author = 1 - author;
      burst = 10 + Math.floor(random() * 40);
    }
    const root = roots[author]!;
    const caret = carets[author]!;
    // The text node's string follows its properties' Y.Map at index 0.
    const length = caret.line.length - 1;
    caret.offset = Math.min(caret.offset, length);
    const roll = random();
    if (roll < 0.01) {
      // A caret jump to somewhere in another line.
      const lines = root.toDelta() as Array<{ insert: unknown }>;
      const picked = lines[Math.floor(random() * lines.length)]?.insert;
      if (picked instanceof Y.XmlText && picked.length > 0) {
        caret.line = picked;
        caret.offset = Math.floor(random() * picked.length);
      }
    } else if (roll < 0.025 || length > 400) {
      carets[author] = { line: appendParagraph(root, ''), offset: 0 };
    } else if (roll > 0.9 && caret.offset > 0) {
      caret.line.delete(caret.offset, 1);
      caret.offset--;
    } else {
      caret.line.insert(caret.offset + 1, letters[Math.floor(random() * letters.length)]!);
      caret.offset++;
    }
    onEdit?.(i + 1, docs[0]!);
  }
  const content = documentText(roots[0]!);
  const result: LongDocument = {
    update: Y.encodeStateAsUpdate(docs[0]!),
    textLength: content.length,
    hash: createHash('sha1').update(content).digest('hex'),
    edits,
  };
  if (!onEdit) cache.set(edits, result);
  return result;
}

/**
 * A meeting's running notes of about `words` words, as one update: lines of ten words, every
 * twentieth an action item for one of the attendees. Deterministic.
 */
export function meetingNotes(words: number): { update: Uint8Array; actions: number } {
  const random = rng(7);
  const vocabulary = 'the plan for alert production needs a decision on storage before the review; we agreed to revisit burn rates and milestones next week'.split(' ');
  const handles = ['WOM', 'KTL', 'YA', 'LG', 'TJ'];
  const doc = newDoc();
  const root = rootOf(doc);
  let actions = 0;
  for (let line = 0; line * 10 < words; line++) {
    const text = Array.from({ length: 10 }, () => vocabulary[Math.floor(random() * vocabulary.length)]!).join(' ');
    if (line % 20 === 19) {
      appendParagraph(root, `ACTION: @${handles[actions % handles.length]} ${text}`);
      actions++;
    } else appendParagraph(root, text);
  }
  return { update: Y.encodeStateAsUpdate(doc), actions };
}
