/**
 * The query layer for the relational tables: Kysely over the embedded SQLite connection, or over
 * a PostgreSQL pool when DATABASE_URL names one. A module writes each query once, against
 * `Schema`, and runs on either.
 *
 * On SQLite the queries run synchronously inside their promises (better-sqlite3), one at a time
 * on the one connection: a transaction holds Kysely's connection lock until it ends, so other
 * queries of this layer wait for it. A statement run outside this layer on the same connection
 * while such a transaction is open (between two of its awaits) becomes part of it, and is rolled
 * back with it. So a transaction awaits nothing but this layer's queries: those resolve at once
 * on SQLite, and no socket message or timer (the update log's appends) runs in between. (The
 * search benchmark's bulk load joins synchronous statements to a transaction on purpose.)
 */
import { Kysely, PostgresDialect, SqliteDialect, type SqliteDatabase, type SqliteStatement, type Transaction } from 'kysely';
import pg from 'pg';
import { statementCache, type Db } from '../database.js';
import type { Schema } from './schema.js';

export type { Schema } from './schema.js';
export type SqlDialect = 'sqlite' | 'postgres';
/** What a query function takes: the layer itself or a transaction of it. */
export type Queries = Kysely<Schema>;

export interface Sql {
  readonly dialect: SqlDialect;
  readonly db: Kysely<Schema>;
  /** The SQLite connection underneath, for what Kysely cannot say (FTS5 search); null on PostgreSQL. */
  readonly sqlite: Db | null;
  /**
   * Runs `fn` in a transaction: all of its writes or none. On PostgreSQL, pass `serializable`
   * where `fn` decides what to write from what it read (another process may write between).
   */
  transaction<T>(fn: (trx: Transaction<Schema>) => Promise<T>, options?: { serializable?: boolean }): Promise<T>;
  close(): Promise<void>;
}

/** Prepared statements are kept per SQL text: Kysely would prepare each query afresh. */
const STATEMENT_CACHE_SIZE = 500;

function cachedStatements(db: Db): SqliteDatabase {
  const prepare = statementCache(db, STATEMENT_CACHE_SIZE);
  return {
    // The connection belongs to the app, which closes it after everything that uses it.
    close() {},
    prepare: (text) => prepare(text) as unknown as SqliteStatement,
  };
}

export function sqliteSql(connection: Db): Sql {
  const db = new Kysely<Schema>({ dialect: new SqliteDialect({ database: cachedStatements(connection) }) });
  return {
    dialect: 'sqlite',
    db,
    sqlite: connection,
    // One connection, one writer: every SQLite transaction is serializable already.
    transaction: (fn) => db.transaction().execute(fn),
    close: () => db.destroy(),
  };
}

const INT8 = 20;
const SERIALIZATION_FAILURE = '40001';
const SERIALIZABLE_ATTEMPTS = 5;

/**
 * The layer on a PostgreSQL pool of its own. bigint columns (identities, Yjs client ids and
 * clocks, sizes) come back as numbers, as SQLite gives them: every one of them stays below 2^53.
 */
export function postgresSql(url: string, poolSize = 10): Sql {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    types: { getTypeParser: ((oid: number, format?: string) => (oid === INT8 ? Number : pg.types.getTypeParser(oid, format as 'text'))) as typeof pg.types.getTypeParser },
  });
  pool.on('error', () => {});
  const db = new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) });
  return {
    dialect: 'postgres',
    db,
    sqlite: null,
    async transaction(fn, options) {
      if (!options?.serializable) return db.transaction().execute(fn);
      // A serializable transaction that lost a race is refused whole (40001); run it again.
      for (let attempt = 1; ; attempt++) {
        try {
          return await db.transaction().setIsolationLevel('serializable').execute(fn);
        } catch (error) {
          if ((error as { code?: string }).code !== SERIALIZATION_FAILURE || attempt >= SERIALIZABLE_ATTEMPTS) throw error;
        }
      }
    },
    close: () => db.destroy(),
  };
}

/**
 * Runs `fn` in a transaction, or in the caller's when `q` already is one: a function that must
 * write atomically takes whatever it is given and composes into larger transactions.
 */
export function atomically<T>(q: Queries, fn: (trx: Queries) => Promise<T>): Promise<T> {
  return q.isTransaction ? fn(q) : q.transaction().execute(fn);
}

/** A UNIQUE or PRIMARY KEY constraint refused the row, in either dialect. */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === '23505';
}
