/**
 * The answer to a reconnecting client that has said which deletions it holds: after applying it,
 * the client holds exactly the server's document, for histories where both sides typed and
 * deleted (overlapping deletions, deletions of text the other side never saw, merged runs); and
 * a client's update narrowed to the deletions the server has not made changes the server exactly
 * as the whole update would.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import { subtract, unseenDeletions, updateLacking } from '../../server/collab/missing-deletions.js';

function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function edit(doc: Y.Doc, random: () => number, rounds: number): void {
  const text = doc.getText('t');
  for (let i = 0; i < rounds; i++) {
    if (random() < 0.35 && text.length > 0) {
      const at = Math.floor(random() * text.length);
      text.delete(at, Math.min(1 + Math.floor(random() * 6), text.length - at));
    } else {
      text.insert(Math.floor(random() * (text.length + 1)), 'abcdefgh'.slice(0, 1 + Math.floor(random() * 8)));
    }
  }
}

const sync = (from: Y.Doc, to: Y.Doc) => Y.applyUpdate(to, Y.encodeStateAsUpdate(from, Y.encodeStateVector(to)));

describe('the deletions a reconnecting client lacks', () => {
  it('subtracts ranges that overlap, touch, cover and split', () => {
    const all = new Map([[7, [{ clock: 0, len: 10 }, { clock: 20, len: 5 }, { clock: 30, len: 1 }]], [9, [{ clock: 3, len: 2 }]]]);
    const known = new Map([[7, [{ clock: 2, len: 3 }, { clock: 8, len: 14 }, { clock: 30, len: 1 }]]]);
    expect(subtract(all, known)).toEqual(
      new Map([
        [7, [{ clock: 0, len: 2 }, { clock: 5, len: 3 }, { clock: 22, len: 3 }]],
        [9, [{ clock: 3, len: 2 }]],
      ]),
    );
  });

  it('leaves the client holding exactly the server document, over 200 random histories', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const random = prng(seed);
      const server = new Y.Doc();
      const client = new Y.Doc();
      const other = new Y.Doc();
      edit(client, random, 30);
      sync(client, server);
      sync(server, other);
      edit(other, random, 20);
      sync(other, server);
      sync(server, client);
      // The client drops off; both sides go on without each other.
      edit(client, random, 1 + Math.floor(random() * 10));
      edit(other, random, 1 + Math.floor(random() * 10));
      sync(other, server);
      // The handshake: the client's step 2 is applied first, then the server answers its step 1.
      const clientVector = Y.encodeStateVector(client);
      const clientReply = Y.encodeStateAsUpdate(client, Y.encodeStateVector(server));
      Y.applyUpdate(server, clientReply);
      const answer = updateLacking(server, clientVector, clientReply);
      expect(answer.byteLength, `seed ${seed}`).toBeLessThanOrEqual(Y.encodeStateAsUpdate(server, clientVector).byteLength);
      Y.applyUpdate(client, answer);
      expect(client.getText('t').toString(), `seed ${seed}`).toBe(server.getText('t').toString());
      expect(Y.equalSnapshots(Y.snapshot(client), Y.snapshot(server)), `seed ${seed}`).toBe(true);
    }
  });

  it("narrows a reconnecting client's reply to the deletions the server lacks, over 200 random histories", () => {
    let unchanged = 0;
    let narrowed = 0;
    for (let seed = 1; seed <= 200; seed++) {
      const random = prng(seed);
      const server = new Y.Doc();
      const client = new Y.Doc();
      edit(client, random, 30);
      sync(client, server);
      // While apart the server's side types and deletes; the client deletes (sometimes what the
      // server deleted too), or nothing, or now and then types.
      edit(server, random, Math.floor(random() * 4));
      const clientText = client.getText('t');
      const deletions = Math.floor(random() * 3);
      for (let i = 0; i < deletions && clientText.length > 0; i++) {
        const at = Math.floor(random() * clientText.length);
        clientText.delete(at, Math.min(1 + Math.floor(random() * 6), clientText.length - at));
      }
      if (random() < 0.1) edit(client, random, 1);
      const reply = Y.encodeStateAsUpdate(client, Y.encodeStateVector(server));
      const diff = Y.diffUpdate(reply, Y.encodeStateVector(server));
      const narrow = unseenDeletions(server, diff);
      const whole = new Y.Doc();
      Y.applyUpdate(whole, Y.encodeStateAsUpdate(server));
      Y.applyUpdate(whole, reply);
      if (Y.decodeUpdate(diff).structs.length > 0) {
        expect(narrow, `seed ${seed}`).toBe(diff);
        continue;
      }
      if (narrow === null) {
        unchanged++;
        expect(Y.equalSnapshots(Y.snapshot(whole), Y.snapshot(server)), `seed ${seed}`).toBe(true);
        continue;
      }
      narrowed++;
      const part = new Y.Doc();
      Y.applyUpdate(part, Y.encodeStateAsUpdate(server));
      Y.applyUpdate(part, narrow);
      expect(part.getText('t').toString(), `seed ${seed}`).toBe(whole.getText('t').toString());
      expect(Y.equalSnapshots(Y.snapshot(part), Y.snapshot(whole)), `seed ${seed}`).toBe(true);
      // Each deletion it keeps is one the server had not made.
      Y.applyUpdate(server, narrow);
      expect(unseenDeletions(server, Y.diffUpdate(reply, Y.encodeStateVector(server))), `seed ${seed}`).toBeNull();
    }
    // Both outcomes came up often enough to mean something.
    expect(unchanged).toBeGreaterThan(20);
    expect(narrowed).toBeGreaterThan(20);
  });

  it('keeps deletions of items the server does not hold yet', () => {
    const client = new Y.Doc();
    client.getText('t').insert(0, 'abcdef');
    const server = new Y.Doc();
    const deletion = Y.encodeStateAsUpdate(client);
    client.getText('t').delete(1, 2);
    const ds = Y.diffUpdate(Y.encodeStateAsUpdate(client), Y.encodeStateVector(client));
    expect(ds[0]).toBe(0);
    const narrow = unseenDeletions(server, ds);
    expect(narrow).not.toBeNull();
    Y.applyUpdate(server, narrow!);
    Y.applyUpdate(server, deletion);
    expect(server.getText('t').toString()).toBe('adef');
  });

  it('reads a crafted delete set of ranges named many times over as the ranges it covers', () => {
    const doc = new Y.Doc();
    const text = doc.getText('t');
    text.insert(0, 'the vendor confirmed delivery');
    text.delete(4, 7);
    const client = doc.clientID;
    // Deletions alone, as a client could send them: the same ranges again and again, overlapping.
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, 0);
    encoding.writeVarUint(encoder, 1);
    encoding.writeVarUint(encoder, client);
    const ranges: Array<[number, number]> = [];
    for (let i = 0; i < 500; i++) ranges.push([0, 12], [2, 3], [10, 8], [11, 1]);
    encoding.writeVarUint(encoder, ranges.length);
    for (const [clock, len] of ranges) {
      encoding.writeVarUint(encoder, clock);
      encoding.writeVarUint(encoder, len);
    }
    const narrow = unseenDeletions(doc, encoding.toUint8Array(encoder));
    // Clocks 4–10 were deleted already; 0–3 and 11–17 were not.
    expect(Y.decodeUpdate(narrow!).ds.clients.get(client)).toEqual([
      { clock: 0, len: 4 },
      { clock: 11, len: 7 },
    ]);
  });
});
