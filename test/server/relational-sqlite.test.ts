/** The relational modules' contract (test/contracts/relational.contract.ts) on the embedded SQLite database. */
import { afterAll } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Db } from '../../server/db/database.js';
import { sqliteSql } from '../../server/db/sql/index.js';
import { relationalContract } from '../contracts/relational.contract.js';

const dir = mkdtempSync(join(tmpdir(), 'quorum-relational-'));
const opened: Db[] = [];
afterAll(() => {
  for (const db of opened) db.close();
  rmSync(dir, { recursive: true, force: true });
});

relationalContract('SQLite', async () => {
  const db = openDatabase(join(dir, `${opened.length}.db`));
  opened.push(db);
  return sqliteSql(db);
});
