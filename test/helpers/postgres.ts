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
