import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { newDoc } from '../../shared/notes/client-id.js';
import { createWriter } from '../../shared/notes/headless.js';

const SMALL = 2 ** 30;
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** How V8 holds a decoded item id's client after a large id was seen: `#client: 12345` or a HeapNumber. */
async function heldClient(mode: 'newdoc' | 'plain'): Promise<string> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--allow-natives-syntax', '--import', 'tsx', 'test/shared/support/item-id-boxing.ts', mode], { cwd: ROOT });
  const line = stdout.split('\n').find((l) => l.includes('#client:'));
  if (!line) throw new Error(`no #client line in:\n${stdout}`);
  return line;
}

describe('client ids of the documents Quorum writes into', () => {
  it('are random and below 2^30, for plain documents and for the headless writer that seeds and edits', () => {
    const ids = Array.from({ length: 64 }, () => newDoc().clientID);
    for (let i = 0; i < 64; i++) {
      const writer = createWriter(null);
      ids.push(writer.doc.clientID);
      writer.dispose();
    }
    for (const id of ids) expect(id).toBeLessThan(SMALL);
    expect(new Set(ids).size).toBe(ids.length);
    // Yjs's own draw spans all 32 bits.
    expect(Array.from({ length: 64 }, () => new Y.Doc().clientID).some((id) => id >= SMALL)).toBe(true);
  });

  it('keep every item id the process decodes unboxed, even after a document drew a large id', async () => {
    // Through newDoc: the small integer itself.
    expect(await heldClient('newdoc')).toMatch(/#client: 12345 /);
    // Documents made as Yjs makes them, with the same small ids: V8 boxes it (what newDoc avoids).
    expect(await heldClient('plain')).toMatch(/#client: 0x[0-9a-f]+ <HeapNumber 12345(\.0)?>/);
  });
});
