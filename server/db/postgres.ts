import pg from 'pg';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const POSTGRES_MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'postgres');

/** Any number that is not another lock's: the first 8 bytes of "quorum-migrate" would do as well. */
const MIGRATION_LOCK = 7_265_412_001;

export interface PostgresOptions {
  /** postgres://user:password@host:port/database */
  url: string;
  /** Connections in the query pool (ownership locks hold one more of their own). */
  poolSize?: number;
  /**
   * Bring the schema up to date first (default): false for a reader beside a running server (the
   * command line), which must not change the schema under it, nor refuse a newer one.
   */
  migrate?: boolean;
}

/**
 * A pool for PostgreSQL, its schema brought up to date first. Several processes may start at
 * once on one database: the migrations run under a transaction-scoped advisory lock, so one of
 * them migrates and the others find the work done.
 */
export async function openPostgres(options: PostgresOptions, migrationsDir = POSTGRES_MIGRATIONS_DIR): Promise<pg.Pool> {
  const pool = new pg.Pool({ connectionString: options.url, max: options.poolSize ?? 10 });
  // An idle client whose server went away emits 'error'; unhandled, it would end the process.
  // The next query on the pool reports the failure where it can be handled.
  pool.on('error', () => {});
  try {
    if (options.migrate !== false) await migrate(pool, migrationsDir);
  } catch (error) {
    await pool.end();
    throw error;
  }
  return pool;
}

async function migrate(pool: pg.Pool, dir: string): Promise<void> {
  const files = readdirSync(dir).filter((file) => /^\d{3}-[\w-]+\.sql$/.test(file)).sort();
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at bigint NOT NULL)');
    const { rows } = await client.query<{ version: number }>('SELECT version FROM schema_migrations');
    const applied = new Set(rows.map((row) => row.version));
    const newest = files.length;
    const unknown = [...applied].filter((version) => version > newest);
    if (unknown.length > 0) throw new Error(`the database was migrated by a newer Quorum (schema ${Math.max(...unknown)}, this build knows ${newest})`);
    for (const file of files) {
      const version = Number(file.slice(0, 3));
      if (applied.has(version)) continue;
      await client.query(readFileSync(join(dir, file), 'utf8'));
      await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [version, file.slice(4, -4), Date.now()]);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

/** Bytes for a bytea parameter, without a copy. */
export function bytea(data: Uint8Array): Buffer {
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}
