import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { AnyDocumentStore } from '../../server/persistence/document-store.js';

function update(text: string): Uint8Array {
  const doc = new Y.Doc();
  doc.getText('t').insert(0, text);
  return Y.encodeStateAsUpdate(doc);
}

type Made = { store: AnyDocumentStore; reopen?: () => AnyDocumentStore | Promise<AnyDocumentStore> };

/**
 * One suite every document store must pass, synchronous or not (every call is awaited, which
 * changes nothing for a synchronous store); `make` returns a fresh, empty store.
 */
export function documentStoreContract(name: string, make: () => Made | Promise<Made>): void {
  describe(`DocumentStore contract: ${name}`, () => {
    it('loads an unknown document as empty', async () => {
      const { store } = await make();
      expect(await store.load('nothing')).toEqual({ state: null, updates: [] });
    });

    it('returns appended updates in order, byte for byte', async () => {
      const { store } = await make();
      const updates = ['a', 'b', 'c'].map(update);
      for (const u of updates) await store.append('doc', u);
      expect((await store.load('doc')).updates).toEqual(updates);
    });

    it('keeps documents apart', async () => {
      const { store } = await make();
      await store.append('one', update('1'));
      await store.append('two', update('2'));
      expect((await store.load('one')).updates).toHaveLength(1);
      expect(await store.names()).toEqual(['one', 'two']);
    });

    it('compaction replaces the state and empties the log; later appends follow it', async () => {
      const { store } = await make();
      await store.append('doc', update('a'));
      await store.append('doc', update('b'));
      const merged = Y.mergeUpdates([update('a'), update('b')]);
      await store.compact('doc', merged);
      expect(await store.load('doc')).toEqual({ state: merged, updates: [] });
      await store.append('doc', update('c'));
      const loaded = await store.load('doc');
      expect(loaded.state).toEqual(merged);
      expect(loaded.updates).toHaveLength(1);
    });

    it('deletes a document entirely', async () => {
      const { store } = await make();
      await store.append('doc', update('a'));
      await store.compact('doc', update('a'));
      await store.append('doc', update('b'));
      await store.delete('doc');
      expect(await store.load('doc')).toEqual({ state: null, updates: [] });
      expect(await store.names()).toEqual([]);
    });

    it('does not keep references to the caller’s buffers', async () => {
      const { store } = await make();
      const u = update('a');
      const copy = u.slice();
      await store.append('doc', u);
      u.fill(0);
      expect((await store.load('doc')).updates[0]).toEqual(copy);
    });

    it('appends several updates at once in order, if the store batches commits', async () => {
      const { store } = await make();
      if (!('appendMany' in store)) return;
      const updates = ['a', 'b', 'c', 'd'].map(update);
      await store.append('doc', updates[0]!);
      await store.appendMany('doc', updates.slice(1));
      await store.appendMany('doc', []);
      expect((await store.load('doc')).updates).toEqual(updates);
    });

    it('survives reopening, if the store is durable', async () => {
      const { store, reopen } = await make();
      if (!reopen) return;
      const [a, b] = [update('a'), update('b')];
      await store.append('doc', a);
      await store.compact('doc', a);
      await store.append('doc', b);
      const loaded = await (await reopen()).load('doc');
      expect(loaded.state).toEqual(a);
      expect(loaded.updates).toEqual([b]);
    });
  });
}
