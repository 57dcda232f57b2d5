import pg from 'pg';
import { randomBytes } from 'node:crypto';

/**
 * PostgreSQL for tests: DATABASE_URL names a server we may create databases on (`npm run
 * test:postgres` starts a throwaway one; see scripts/with-postgres.mjs). Each caller gets a
 * database of its own, dropped by `drop()`.
 */
export function postgresUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set: run these tests with `npm run test:postgres`');
  return url;
}

export interface TestDatabase {
  url: string;
  /** Runs SQL on the test database as the administrator (to break it on purpose, say). */
  sql(text: string, values?: unknown[]): Promise<pg.QueryResult>;
  /** Runs SQL from another database of the server (what the test database cannot do to itself). */
  fromOutside(text: string): Promise<void>;
  /** The test database's name. */
  name: string;
  /**
   * Makes appends to the update log fail as a full disk does (SQLSTATE 53100) for the rows that
   * match `when` (SQL over NEW, e.g. \`NEW.doc = 'x'\`); resolves to a function that undoes it.
   */
  refuseUpdates(when: string): Promise<() => Promise<void>>;
  /** Makes every append to the update log take `seconds` longer, as a database far away does. */
  slowUpdates(seconds: number): Promise<void>;
  drop(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const server = new URL(postgresUrl());
  const name = `quorum_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: server.toString() });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(server.toString());
  url.pathname = `/${name}`;
  const client = new pg.Client({ connectionString: url.toString() });
  client.on('error', () => {});
  await client.connect();
  return {
    url: url.toString(),
    name,
    sql: (text, values) => client.query(text, values),
    async refuseUpdates(when) {
      const name = `refuse_${randomBytes(4).toString('hex')}`;
      await client.query(`CREATE FUNCTION ${name}() RETURNS trigger AS $$
        BEGIN
          IF ${when} THEN
            RAISE EXCEPTION 'could not extend file: No space left on device' USING ERRCODE = '53100';
          END IF;
          RETURN NEW;
        END $$ LANGUAGE plpgsql`);
      await client.query(`CREATE TRIGGER ${name} BEFORE INSERT ON document_updates FOR EACH ROW EXECUTE FUNCTION ${name}()`);
      return async () => {
        await client.query(`DROP TRIGGER ${name} ON document_updates`);
        await client.query(`DROP FUNCTION ${name}()`);
      };
    },
    async slowUpdates(seconds) {
      await client.query(`CREATE FUNCTION slow_updates() RETURNS trigger AS $$ BEGIN PERFORM pg_sleep(${Number(seconds)}); RETURN NEW; END $$ LANGUAGE plpgsql`);
      await client.query('CREATE TRIGGER slow_updates BEFORE INSERT ON document_updates FOR EACH ROW EXECUTE FUNCTION slow_updates()');
    },
    async fromOutside(text) {
      const outside = new pg.Client({ connectionString: server.toString() });
      await outside.connect();
      try {
        await outside.query(text);
      } finally {
        await outside.end();
      }
    },
    async drop() {
      await client.end().catch(() => {});
      const again = new pg.Client({ connectionString: server.toString() });
      await again.connect();
      try {
        await again.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await again.end();
      }
    },
  };
}
