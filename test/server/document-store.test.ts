import { afterAll } from 'vitest';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { documentStoreContract } from '../contracts/document-store.contract.js';
import { MemoryDocumentStore } from '../../server/persistence/memory-document-store.js';
import { SqliteDocumentStore } from '../../server/persistence/sqlite-document-store.js';
import { openDatabase, type Db } from '../../server/db/database.js';
import { tempDataDir } from '../helpers/server.js';

const dirs: string[] = [];
const dbs: Db[] = [];
afterAll(() => {
  for (const db of dbs) if (db.open) db.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

documentStoreContract('memory', () => ({ store: new MemoryDocumentStore() }));

documentStoreContract('SQLite file', () => {
  const dir = tempDataDir();
  dirs.push(dir);
  const file = join(dir, 'quorum.db');
  const db = openDatabase(file);
  dbs.push(db);
  return {
    store: new SqliteDocumentStore(db),
    reopen: () => {
      db.close();
      const again = openDatabase(file);
      dbs.push(again);
      return new SqliteDocumentStore(again);
    },
  };
});
