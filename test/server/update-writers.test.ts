// The versions' authorship learns which Yjs clients wrote an update from its first bytes
// (history/attribution.ts, writersOf); it must name the same clients as decoding the update.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { writersOf } from '../../server/history/attribution.js';

function decoded(update: Uint8Array): number[] {
  return [...Y.parseUpdateMeta(update).to.keys()].sort((a, b) => a - b);
}

function updatesOf(doc: Y.Doc, edit: () => void): Uint8Array[] {
  const updates: Uint8Array[] = [];
  const take = (update: Uint8Array): void => void updates.push(update);
  doc.on('update', take);
  edit();
  doc.off('update', take);
  return updates;
}

describe('writersOf', () => {
  it("names a keystroke's client as decoding does, for client ids of any size", () => {
    for (const clientID of [1, 127, 128, 2 ** 30 - 1, 2 ** 30, 2 ** 31 + 5, 2 ** 32 - 1]) {
      const doc = new Y.Doc();
      doc.clientID = clientID;
      const text = doc.getText('t');
      const updates = updatesOf(doc, () => {
        text.insert(0, 'hello');
        text.insert(5, ' world');
        doc.getMap('m').set('k', 'v');
      });
      for (const update of updates) expect(writersOf(update)).toEqual([clientID]);
    }
  });

  it('names every client of a merged update, and none of an update that only deletes', () => {
    let seed = 7;
    const random = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let round = 0; round < 50; round++) {
      const docs = Array.from({ length: 1 + Math.floor(random() * 4) }, () => {
        const doc = new Y.Doc();
        doc.clientID = Math.floor(random() * 2 ** 32);
        doc.getText('t').insert(0, `typed by ${doc.clientID}`);
        return doc;
      });
      const merged = Y.mergeUpdates(docs.map((doc) => Y.encodeStateAsUpdate(doc)));
      expect([...writersOf(merged)].sort((a, b) => a - b)).toEqual(decoded(merged));
      const target = new Y.Doc();
      Y.applyUpdate(target, merged);
      const [deletion] = updatesOf(target, () => target.getText('t').delete(0, 3));
      expect(writersOf(deletion!)).toEqual([]);
      expect(decoded(deletion!)).toEqual([]);
    }
  });
});
