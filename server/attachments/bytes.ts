// Where attached files' bytes live, by their SHA-256 (one copy however many attachments share
// it): files under DATA_DIR/attachments/<aa>/<sha256> on one process, a table in PostgreSQL
// when several processes share the database (each has a DATA_DIR of its own, and a file
// attached through one is downloaded through another).
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import type { Queries } from '../db/sql/index.js';
import { randomId } from '../ids.js';

export interface AttachmentBytes {
  /** Stores the bytes under their hash, unless they are there already. */
  put(sha256: string, bytes: Uint8Array): Promise<void>;
  get(sha256: string): Promise<Buffer>;
  has(sha256: string): Promise<boolean>;
  drop(sha256: string): Promise<void>;
}

/**
 * Files in `dataDir/attachments`. A file is written under a temporary name and renamed into
 * place, so a crash never leaves a half-written file under a hash.
 */
export function fileBytes(dataDir: string): AttachmentBytes {
  const dir = join(dataDir, 'attachments');
  const pathOf = (sha256: string): string => join(dir, sha256.slice(0, 2), sha256);
  return {
    async put(sha256, bytes) {
      const path = pathOf(sha256);
      if (existsSync(path)) return;
      mkdirSync(join(dir, sha256.slice(0, 2)), { recursive: true });
      const partial = `${path}.${randomId(8)}.part`;
      try {
        writeFileSync(partial, bytes, { flag: 'wx' });
        renameSync(partial, path);
      } catch (error) {
        rmSync(partial, { force: true });
        throw error;
      }
    },
    async get(sha256) {
      return readFileSync(pathOf(sha256));
    },
    async has(sha256) {
      return existsSync(pathOf(sha256));
    },
    async drop(sha256) {
      rmSync(pathOf(sha256), { force: true });
    },
  };
}

/** Rows of `attachment_bytes` (PostgreSQL: postgres/004-attachment-bytes.sql). */
export function databaseBytes(q: Queries): AttachmentBytes {
  return {
    async put(sha256, bytes) {
      await sql`INSERT INTO attachment_bytes (sha256, bytes) VALUES (${sha256}, ${Buffer.from(bytes)}) ON CONFLICT (sha256) DO NOTHING`.execute(q);
    },
    async get(sha256) {
      const { rows } = await sql<{ bytes: Buffer }>`SELECT bytes FROM attachment_bytes WHERE sha256 = ${sha256}`.execute(q);
      if (!rows[0]) throw new Error(`the bytes of ${sha256} are missing`);
      return rows[0].bytes;
    },
    async has(sha256) {
      const { rows } = await sql<{ found: number }>`SELECT 1 AS found FROM attachment_bytes WHERE sha256 = ${sha256}`.execute(q);
      return rows.length > 0;
    },
    async drop(sha256) {
      await sql`DELETE FROM attachment_bytes WHERE sha256 = ${sha256}`.execute(q);
    },
  };
}
