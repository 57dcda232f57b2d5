/**
 * The update log on PostgreSQL: the contract every store passes, batched commits that are all
 * or nothing, and ownership of a document by one process at a time (advisory locks that die
 * with the process's connection).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { documentStoreContract } from '../contracts/document-store.contract.js';
import { PostgresDocumentStore } from '../../server/persistence/postgres-document-store.js';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.js';

let db: TestDatabase;
const stores: PostgresDocumentStore[] = [];
const open = async (): Promise<PostgresDocumentStore> => {
  const store = await PostgresDocumentStore.open({ url: db.url, poolSize: 4 });
  stores.push(store);
  return store;
};

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  for (const store of stores) await store.close().catch(() => {});
  await db.drop();
});

documentStoreContract('PostgreSQL', async () => {
  const store = await open();
  await db.sql('TRUNCATE documents, document_updates');
  return { store, reopen: open };
});

function update(text: string): Uint8Array {
  const doc = new Y.Doc();
  doc.getText('t').insert(0, text);
  return Y.encodeStateAsUpdate(doc);
}

describe('PostgreSQL document store', () => {
  it('commits a batch whole or not at all', async () => {
    const store = await open();
    // The real error a full disk gives, on the second row of the batch.
    const restore = await db.refuseUpdates('(SELECT count(*) FROM document_updates WHERE doc = NEW.doc) >= 1');
    try {
      await expect(store.appendMany('batch', [update('a'), update('b')])).rejects.toMatchObject({ code: '53100' });
      expect((await store.load('batch')).updates).toEqual([]);
    } finally {
      await restore();
    }
  });

  it('commits several documents’ updates together, and one document’s failure does not fail the others', async () => {
    const store = await open();
    const restore = await db.refuseUpdates("NEW.doc = 'bad'");
    try {
      const [g1, g2, b1, a1] = ['g1', 'g2', 'b1', 'a1'].map(update);
      // Asked for in one tick: they go out in one statement, which fails as a whole.
      const results = await Promise.allSettled([store.appendMany('good', [g1!, g2!]), store.appendMany('bad', [b1!]), store.appendMany('also-good', [a1!])]);
      expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      expect((await store.load('good')).updates).toEqual([g1, g2]);
      expect((await store.load('also-good')).updates).toEqual([a1]);
      expect((await store.load('bad')).updates).toEqual([]);
    } finally {
      await restore();
    }
  });

  it('lets one process own a document at a time, and frees it when that process’s connection dies', async () => {
    const [first, second] = [await open(), await open()];
    expect(await first.own('meeting')).toBe(true);
    expect(await first.own('meeting')).toBe(true);
    expect(await second.own('meeting')).toBe(false);
    expect(await second.own('another')).toBe(true);

    await first.release('meeting');
    expect(await second.own('meeting')).toBe(true);
    expect(await first.own('meeting')).toBe(false);

    // A killed process: PostgreSQL ends its session, and with it every lock it held.
    await db.sql(
      `SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND pid <> pg_backend_pid() AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
         AND objid = (hashtextextended('meeting', 0) & 4294967295)::oid`,
    );
    let owned = false;
    for (let attempt = 0; !owned; attempt++) {
      owned = await first.own('meeting');
      if (!owned) await new Promise((resolve) => setTimeout(resolve, 20));
      if (attempt > 500) throw new Error('the lock of a terminated session was never freed');
    }
    expect(owned).toBe(true);
  });

  it('refuses to start on a database migrated by a newer Quorum', async () => {
    await open();
    await db.sql("INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'from-the-future', 0)");
    try {
      await expect(open()).rejects.toThrow(/newer Quorum/);
    } finally {
      await db.sql('DELETE FROM schema_migrations WHERE version = 999');
    }
  });
});
