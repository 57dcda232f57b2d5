/**
 * The relational modules' contract (test/contracts/relational.contract.ts) on PostgreSQL, and
 * the two schemas side by side: every table and column SQLite's migrations make, PostgreSQL's
 * make too.
 */
import { afterAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../server/db/database.js';
import { openPostgres } from '../../server/db/postgres.js';
import { postgresSql, type Sql } from '../../server/db/sql/index.js';
import { relationalContract } from '../contracts/relational.contract.js';
import { setupFirstAdmin } from '../../server/accounts/accounts.js';
import { createMeeting, getMeeting } from '../../server/meetings/meetings.js';
import { createProposal, scheduleProposal } from '../../server/meetings/proposals.js';
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
    // The tsvector that stands for SQLite's FTS5 table, and the identity that stands for SQLite's
    // implicit rowid (the order proposals were made in).
    postgresColumns.delete('search_docs.words');
    postgresColumns.delete('topic_proposals.rowid');
    // Attached files' bytes: files in DATA_DIR on SQLite.
    postgresColumns.delete('attachment_bytes.sha256');
    postgresColumns.delete('attachment_bytes.bytes');

    expect([...sqliteColumns].filter((column) => !postgresColumns.has(column))).toEqual([]);
    expect([...postgresColumns].filter((column) => !sqliteColumns.has(column))).toEqual([]);
  });
});

describe('writes racing each other in two processes', () => {
  it('schedules a proposal once when two schedule it at the same moment', async () => {
    const { db, sql } = await freshPostgres();
    const admin = await setupFirstAdmin(sql, { email: 'ada@example.org', name: 'Ada', password: 'correct horse battery' });
    const meeting = await createMeeting(sql.db, admin.id, { title: 'Weekly', startDate: '2026-12-10', attendees: [] });
    const proposal = await createProposal(sql.db, meeting.id, { topic: 'Budget' }, {});
    const other = postgresSql(db.url, 2);
    layers.push(other);

    // Hold the meeting's row, which scheduling updates last: both schedulings read the proposal
    // as unscheduled and then wait here, as two processes' would at the worst moment.
    const holder = new pg.Client({ connectionString: db.url });
    await holder.connect();
    await holder.query('BEGIN');
    await holder.query('SELECT 1 FROM meetings WHERE id = $1 FOR UPDATE', [meeting.id]);
    const racing = Promise.allSettled([
      scheduleProposal(sql.db, meeting.id, proposal.id, { date: '2026-12-10' }),
      scheduleProposal(other.db, meeting.id, proposal.id, { date: '2026-12-10' }),
    ]);
    for (;;) {
      const { rows } = await db.sql("SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'");
      if (rows[0].n >= 2) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await holder.query('COMMIT');
    await holder.end();

    const results = await racing;
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(((results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason as { statusCode?: number }).statusCode).toBe(409);
    const items = (await getMeeting(sql.db, meeting.id))!.agenda.flatMap((day) => day.blocks.flatMap((block) => block.items));
    expect(items.map((item) => item.topic)).toEqual(['Budget']);
  });
});
