/**
 * What the server stores and applies of a client's update: exactly what its document lacks, for
 * the updates clients really send (a keystroke, a backspace, an edit relayed to the server twice,
 * a reconnecting client's reply that overlaps what the server holds, one that waits for another),
 * and a malformed update is refused exactly when Yjs's own reading of it fails.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { isEmptyUpdate, lackedBy } from '../../server/collab/client-update.js';

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

/** Types or deletes a little in `doc`; returns the update of each transaction. */
function type(doc: Y.Doc, random: () => number, rounds: number): Uint8Array[] {
  const updates: Uint8Array[] = [];
  const collect = (update: Uint8Array): void => void updates.push(update);
  doc.on('update', collect);
  const text = doc.getText('notes');
  for (let i = 0; i < rounds; i++) {
    if (random() < 0.3 && text.length > 0) {
      const at = Math.floor(random() * text.length);
      text.delete(at, Math.min(1 + Math.floor(random() * 4), text.length - at));
    } else {
      text.insert(Math.floor(random() * (text.length + 1)), 'action'.slice(0, 1 + Math.floor(random() * 6)));
    }
  }
  doc.off('update', collect);
  return updates;
}

function copyOf(doc: Y.Doc): Y.Doc {
  const copy = new Y.Doc();
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
  return copy;
}

/** Everything a document holds, pending structs and deletions included. */
function stateOf(doc: Y.Doc): string {
  return `${doc.getText('notes').toString()}|${Buffer.from(Y.encodeStateAsUpdate(doc)).toString('hex')}`;
}

function throws(run: () => unknown): boolean {
  try {
    run();
    return false;
  } catch {
    return true;
  }
}

describe("what the server takes of a client's update", () => {
  it('is exactly what the document lacks, over 300 random histories of three writers', () => {
    const seen = { keystroke: 0, duplicate: 0, overlapping: 0, deletionsAlone: 0, waiting: 0 };
    for (let seed = 1; seed <= 300; seed++) {
      const random = prng(seed);
      const server = new Y.Doc();
      const writers = [new Y.Doc(), new Y.Doc(), new Y.Doc()];
      // Each writer's updates, in the order written; what the server has applied of each.
      const sent: Uint8Array[] = [];
      for (let round = 0; round < 12; round++) {
        const writer = writers[Math.floor(random() * writers.length)]!;
        // Now and then a writer catches up on what the server holds, as a connected client does.
        if (random() < 0.6) Y.applyUpdate(writer, Y.encodeStateAsUpdate(server, Y.encodeStateVector(writer)));
        const updates = type(writer, random, 1 + Math.floor(random() * 3));
        sent.push(...updates);
        const pick = random();
        let update: Uint8Array;
        if (pick < 0.55) update = updates[updates.length - 1]!;
        else if (pick < 0.7 && sent.length > 1) update = sent[Math.floor(random() * sent.length)]!;
        else if (pick < 0.85) update = Y.encodeStateAsUpdate(writer, Y.encodeStateVector(server));
        else update = Y.mergeUpdates(sent.slice(Math.floor(random() * sent.length)));
        const before = stateOf(server);
        const whole = copyOf(server);
        Y.applyUpdate(whole, update);
        const taken = lackedBy(server, update);
        if (taken === null) {
          // Nothing lacked: applying the whole update changes nothing either.
          expect(stateOf(whole), `seed ${seed}`).toBe(before);
          seen.duplicate++;
          continue;
        }
        expect(isEmptyUpdate(taken), `seed ${seed}`).toBe(false);
        const { structs } = Y.decodeUpdate(taken);
        // Nothing the server holds is taken again…
        for (const struct of structs) expect(struct.id.clock, `seed ${seed}`).toBeGreaterThanOrEqual(Y.getState(server.store, struct.id.client));
        if (structs.length === 0) seen.deletionsAlone++;
        else if (taken === update) seen.keystroke++;
        else seen.overlapping++;
        // …and what is taken changes the server exactly as the whole update would.
        Y.applyUpdate(server, taken[0] === 0 ? taken : update);
        if (server.store.pendingStructs !== null) seen.waiting++;
        expect(stateOf(server), `seed ${seed}`).toBe(stateOf(whole));
      }
    }
    // Every kind of update came up often enough to mean something.
    for (const [kind, count] of Object.entries(seen)) expect(count, kind).toBeGreaterThan(20);
  });

  it('refuses a malformed update exactly when reading it as Yjs does fails', () => {
    const random = prng(7);
    const server = new Y.Doc();
    const client = new Y.Doc();
    type(client, random, 20);
    Y.applyUpdate(server, Y.encodeStateAsUpdate(client));
    const keystroke = type(client, random, 1)[0]!;
    const backspace = (() => {
      const updates: Uint8Array[] = [];
      client.once('update', (update: Uint8Array) => updates.push(update));
      client.getText('notes').delete(0, 1);
      return updates[0]!;
    })();
    let refused = 0;
    for (const update of [keystroke, backspace, Y.encodeStateAsUpdate(client)]) {
      const broken: Uint8Array[] = [];
      for (let cut = 0; cut < update.byteLength; cut++) broken.push(update.slice(0, cut));
      for (let i = 0; i < 200; i++) {
        const copy = update.slice();
        copy[Math.floor(random() * copy.byteLength)] = Math.floor(random() * 256);
        broken.push(copy);
      }
      for (const bytes of broken) {
        const yjsFails = throws(() => Y.diffUpdate(bytes, Y.encodeStateVector(server)));
        expect(throws(() => lackedBy(server, bytes)), Buffer.from(bytes).toString('hex')).toBe(yjsFails);
        if (yjsFails) refused++;
      }
    }
    expect(refused).toBeGreaterThan(50);
  });
});
