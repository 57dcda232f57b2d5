import Database from 'better-sqlite3';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export type Db = Database.Database;

export type Statement = Database.Statement;

/**
 * Statements prepared once per SQL text and kept (the least recently used dropped beyond `size`):
 * preparing costs SQLite a parse and a plan, often more than running a small statement.
 */
export function statementCache(db: Db, size: number): (text: string) => Statement {
  const cache = new Map<string, Statement>();
  return (text) => {
    let statement = cache.get(text);
    if (statement) {
      cache.delete(text);
    } else {
      statement = db.prepare(text);
      if (cache.size >= size) cache.delete(cache.keys().next().value as string);
    }
    cache.set(text, statement);
    return statement;
  };
}

export const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'migrations');

export interface OpenDatabaseOptions {
  /** `FULL` also survives power loss; `NORMAL` (the WAL default) survives any process crash. */
  synchronous?: 'NORMAL' | 'FULL';
  migrationsDir?: string;
}

export function openDatabase(file: string, options: OpenDatabaseOptions = {}): Db {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${options.synchronous ?? 'NORMAL'}`);
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  // better-sqlite3 builds with a 16 MB page cache; SQLite's own 2 MB default suits us better.
  // Documents are read once per load and then only appended to, so a big cache mostly holds
  // pages we just wrote, while the kernel's page cache already keeps the file warm.
  db.pragma('cache_size = -2000');
  try {
    migrate(db, options.migrationsDir ?? MIGRATIONS_DIR);
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Migrations are `NNN-name.sql` files, applied in order, each in its own transaction. */
export function loadMigrations(dir: string): Migration[] {
  const migrations = readdirSync(dir)
    .filter((file) => /^\d{3}-[\w-]+\.sql$/.test(file))
    .sort()
    .map((file) => ({
      version: Number(file.slice(0, 3)),
      name: file.slice(4, -4),
      sql: readFileSync(join(dir, file), 'utf8'),
    }));
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1) {
      throw new Error(`migration ${migration.version}-${migration.name} is out of sequence (expected ${index + 1})`);
    }
  });
  return migrations;
}

/** The database was written by a newer Quorum: this build must not touch it. */
export class SchemaTooNewError extends Error {
  constructor(
    readonly found: number,
    readonly known: number,
  ) {
    super(`the database has schema version ${found}, newer than this build knows (${known})`);
  }
}

/**
 * Brings the schema up to date, forward only, each migration in its own transaction. A database
 * newer than this build is refused before anything is written to it.
 */
export function migrate(db: Db, dir: string = MIGRATIONS_DIR): number {
  const migrations = loadMigrations(dir);
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > migrations.length) {
    throw new SchemaTooNewError(current, migrations.length);
  }
  for (const migration of migrations.slice(current)) {
    db.transaction(() => {
      db.exec(migration.sql);
      db.pragma(`user_version = ${migration.version}`);
    })();
  }
  return migrations.length;
}
