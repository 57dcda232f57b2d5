/**
 * A long meeting's document: two people typing keystroke by keystroke (one edit each), with
 * backspaces and cursor jumps, so its history is 100,000 small edits from two clients.
 * Built once per process, deterministically.
 */
import { createHash } from 'node:crypto';
import * as Y from 'yjs';
import { TEXT_NAME } from './clients.js';

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

export function longDocument(edits: number): LongDocument {
  const cached = cache.get(edits);
  if (cached) return cached;
  const random = rng(42);
  const docs = [new Y.Doc(), new Y.Doc()];
  const REMOTE = Symbol('remote');
  docs[0]!.on('update', (update: Uint8Array, origin: unknown) => origin !== REMOTE && Y.applyUpdate(docs[1]!, update, REMOTE));
  docs[1]!.on('update', (update: Uint8Array, origin: unknown) => origin !== REMOTE && Y.applyUpdate(docs[0]!, update, REMOTE));
  const texts = docs.map((d) => d.getText(TEXT_NAME));
  const cursors = [0, 0];
  const letters = 'etaoin shrdlu cmfwyp vbgkqj xz, ETAOIN. ';
  let author = 0;
  let burst = 0;
  for (let i = 0; i < edits; i++) {
    if (burst-- <= 0) {
      author = 1 - author;
      burst = 10 + Math.floor(random() * 40);
    }
    const text = texts[author]!;
    let cursor = Math.min(cursors[author]!, text.length);
    const roll = random();
    if (roll < 0.03) cursor = Math.floor(random() * (text.length + 1));
    if (roll > 0.9 && cursor > 0) {
      text.delete(cursor - 1, 1);
      cursor--;
    } else {
      text.insert(cursor, letters[Math.floor(random() * letters.length)]!);
      cursor++;
    }
    cursors[author] = cursor;
    // The other author's cursor shifts with edits before it, as in an editor.
    const other = 1 - author;
    if (cursors[other]! >= cursor) cursors[other] = cursors[other]! + (roll > 0.9 ? -1 : 1);
  }
  const content = texts[0]!.toString();
  const result: LongDocument = {
    update: Y.encodeStateAsUpdate(docs[0]!),
    textLength: content.length,
    hash: createHash('sha1').update(content).digest('hex'),
    edits,
  };
  cache.set(edits, result);
  return result;
}
