import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { DocumentStore } from '../../server/persistence/document-store.js';

function update(text: string): Uint8Array {
  const doc = new Y.Doc();
  doc.getText('t').insert(0, text);
  return Y.encodeStateAsUpdate(doc);
}

/** One suite every DocumentStore must pass; `make` returns a fresh, empty store. */
export function documentStoreContract(name: string, make: () => { store: DocumentStore; reopen?: () => DocumentStore }): void {
  describe(`DocumentStore contract: ${name}`, () => {
    it('loads an unknown document as empty', () => {
      const { store } = make();
      expect(store.load('nothing')).toEqual({ state: null, updates: [] });
    });

    it('returns appended updates in order, byte for byte', () => {
      const { store } = make();
      const updates = ['a', 'b', 'c'].map(update);
      for (const u of updates) store.append('doc', u);
      expect(store.load('doc').updates).toEqual(updates);
    });

    it('keeps documents apart', () => {
      const { store } = make();
      store.append('one', update('1'));
      store.append('two', update('2'));
      expect(store.load('one').updates).toHaveLength(1);
      expect(store.names()).toEqual(['one', 'two']);
    });

    it('compaction replaces the state and empties the log; later appends follow it', () => {
      const { store } = make();
      store.append('doc', update('a'));
      store.append('doc', update('b'));
      const merged = Y.mergeUpdates([update('a'), update('b')]);
      store.compact('doc', merged);
      expect(store.load('doc')).toEqual({ state: merged, updates: [] });
      store.append('doc', update('c'));
      const loaded = store.load('doc');
      expect(loaded.state).toEqual(merged);
      expect(loaded.updates).toHaveLength(1);
    });

    it('deletes a document entirely', () => {
      const { store } = make();
      store.append('doc', update('a'));
      store.compact('doc', update('a'));
      store.append('doc', update('b'));
      store.delete('doc');
      expect(store.load('doc')).toEqual({ state: null, updates: [] });
      expect(store.names()).toEqual([]);
    });

    it('does not keep references to the caller’s buffers', () => {
      const { store } = make();
      const u = update('a');
      const copy = u.slice();
      store.append('doc', u);
      u.fill(0);
      expect(store.load('doc').updates[0]).toEqual(copy);
    });

    it('survives reopening, if the store is durable', () => {
      const { store, reopen } = make();
      if (!reopen) return;
      const [a, b] = [update('a'), update('b')];
      store.append('doc', a);
      store.compact('doc', a);
      store.append('doc', b);
      const loaded = reopen().load('doc');
      expect(loaded.state).toEqual(a);
      expect(loaded.updates).toEqual([b]);
    });
  });
}
