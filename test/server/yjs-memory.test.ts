// What a decoded document holds in memory, with yjs as `npm install` patches it
// (scripts/patch-lexical-yjs.mjs, 7 and 8): the server decodes every document it opens from the
// stored bytes and every edit from a client's update, so what decoding leaves behind is most of
// an open meeting's memory (in the bench, a meeting of 20 KB of notes: ~240 KB of heap before these fixes, ~180 KB after).
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

interface DecodedHeap {
  copies: number;
  contentAny: number;
  /** The backing store of each decoded ContentAny's array, in bytes. */
  elementsBytes: number[];
  keyCopies: number;
  valueCopies: number;
}

function decodedHeap(): DecodedHeap {
  const script = fileURLToPath(new URL('./support/decoded-heap.mjs', import.meta.url));
  const cwd = fileURLToPath(new URL('../..', import.meta.url));
  return JSON.parse(execFileSync(process.execPath, [script], { cwd, encoding: 'utf8' })) as DecodedHeap;
}

describe('documents decoded by yjs', () => {
  const heap = decodedHeap();

  it('keep each property value in an array of its own length', () => {
    // One value per ContentAny (a Lexical property): a header and one slot (8 bytes each on
    // 64-bit V8), where push() into an empty array reserved 17 slots, 152 bytes.
    expect(heap.contentAny).toBeGreaterThanOrEqual(heap.copies * 40);
    expect(Math.max(...heap.elementsBytes)).toBeLessThanOrEqual(24);
  });

  it('share one string for a property name and for a short value across every document', () => {
    // The script's own literal and the shared copy; unpatched, one more per decoded document.
    expect(heap.keyCopies).toBeLessThanOrEqual(2);
    expect(heap.valueCopies).toBeLessThanOrEqual(2);
  });
});
