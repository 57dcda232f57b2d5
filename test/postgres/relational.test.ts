/**
 * The relational modules' contract (test/contracts/relational.contract.ts) on PostgreSQL, and
 * the two schemas side by side: every table and column SQLite's migrations make, PostgreSQL's
 * make too.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../server/db/database.js';
import { openPostgres } from '../../server/db/postgres.js';
import { postgresSql, type Sql } from '../../server/db/sql/index.js';
import { relationalContract } from '../contracts/relational.contract.js';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.js';

const databases: TestDatabase[] = [];
const layers: Sql[] = [];
afterAll(async () => {
  for (const layer of layers) await layer.close();
  for (const db of databases) await db.drop();
});

async function freshPostgres(): Promise<{ db: TestDatabase; sql: Sql }> {
  const db = await createTestDatabase();
  databases.push(db);
  await (await openPostgres({ url: db.url, poolSize: 1 })).end();
  const sql = postgresSql(db.url, 4);
  layers.push(sql);
  return { db, sql };
}

relationalContract('PostgreSQL', async () => (await freshPostgres()).sql);

describe('the PostgreSQL schema', () => {
  it('has every table and column of the SQLite schema, and nothing else but its own bookkeeping', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'quorum-schema-'));
    const sqlite = openDatabase(join(dir, 'quorum.db'));
    const sqliteColumns = new Set<string>();
    try {
      const tables = sqlite
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'search_fts%'")
        .all() as Array<{ name: string }>;
      for (const { name } of tables) {
        for (const column of sqlite.pragma(`table_info(${name})`) as Array<{ name: string }>) sqliteColumns.add(`${name}.${column.name}`);
      }
    } finally {
      sqlite.close();
      rmSync(dir, { recursive: true, force: true });
    }

    const { db } = await freshPostgres();
    const { rows } = await db.sql(
      "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> 'schema_migrations'",
    );
    const postgresColumns = new Set(rows.map((row: { table_name: string; column_name: string }) => `${row.table_name}.${row.column_name}`));
    // The tsvector that stands for SQLite's FTS5 table.
    postgresColumns.delete('search_docs.words');

    expect([...sqliteColumns].filter((column) => !postgresColumns.has(column))).toEqual([]);
    expect([...postgresColumns].filter((column) => !sqliteColumns.has(column))).toEqual([]);
  });
});
