// Where the service keeps everything: the embedded SQLite database in DATA_DIR (the default), or
// PostgreSQL when DATABASE_URL names one (several processes sharing it, README "Several
// processes"). Either way the app gets one query layer for the tables and one document store
// for the update log; only the SQLite form has a file, checkpoints and a connection of its own.

import { join } from 'node:path';
import type { Config } from '../config.js';
import { openDatabase, SchemaTooNewError, type Db } from './database.js';
import { startCheckpointer } from './checkpointer.js';
import { postgresSql, sqliteSql, type Sql } from './sql/index.js';
import { SqliteDocumentStore } from '../persistence/sqlite-document-store.js';
import { PostgresDocumentStore } from '../persistence/postgres-document-store.js';
import type { AnyDocumentStore } from '../persistence/document-store.js';

export interface Storage {
  readonly sql: Sql;
  readonly documents: AnyDocumentStore;
  /** The SQLite connection and its file; null on PostgreSQL. */
  readonly sqlite: { db: Db; file: string } | null;
  /** Closes everything, once every write the app makes has been made. */
  close(): Promise<void>;
}

/** The storage cannot be used; the message says why, for the operator. */
export class StorageError extends Error {}

export async function openStorage(config: Config, onCheckpointFallback: (error: Error) => void): Promise<Storage> {
  return config.databaseUrl ? openPostgresStorage(config.databaseUrl, config.databasePoolSize) : openSqliteStorage(config, onCheckpointFallback);
}

function openSqliteStorage(config: Config, onCheckpointFallback: (error: Error) => void): Storage {
  const file = join(config.dataDir, 'quorum.db');
  let db: Db;
  let documents: SqliteDocumentStore;
  try {
    db = openDatabase(file, { synchronous: config.sqliteSynchronous });
    documents = new SqliteDocumentStore(db);
    documents.probe();
  } catch (error) {
    if (error instanceof SchemaTooNewError) {
      throw new StorageError(
        `${file} was written by a newer version of Quorum (${error.message}); run that version, or restore a backup made with this one. Nothing was changed.`,
      );
    }
    throw new StorageError(`cannot write to ${file}: ${(error as Error).message}`);
  }
  const checkpointer = startCheckpointer(db, file, { onFallback: onCheckpointFallback });
  const sql = sqliteSql(db);
  return {
    sql,
    documents,
    sqlite: { db, file },
    async close() {
      await checkpointer.stop();
      db.close();
    },
  };
}

async function openPostgresStorage(url: string, poolSize: number): Promise<Storage> {
  let documents: PostgresDocumentStore;
  try {
    // Migrates the schema first (once, whichever process gets there first).
    documents = await PostgresDocumentStore.open({ url, poolSize });
  } catch (error) {
    throw new StorageError(`cannot use the PostgreSQL database at ${redacted(url)}: ${(error as Error).message}`);
  }
  try {
    await documents.probe();
  } catch (error) {
    await documents.close();
    throw new StorageError(`cannot write to the PostgreSQL database at ${redacted(url)}: ${(error as Error).message}`);
  }
  const sql = postgresSql(url, poolSize);
  return {
    sql,
    documents,
    sqlite: null,
    async close() {
      await sql.close();
      await documents.close();
    },
  };
}

/** The URL without its password, for messages and logs. */
export function redacted(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'DATABASE_URL';
  }
}
