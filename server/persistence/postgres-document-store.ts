import pg from 'pg';
import { hostname } from 'node:os';
import { bytea, openPostgres, type PostgresOptions } from '../db/postgres.js';
import type { AsyncDocumentStore, StoredDocument } from './document-store.js';

/** Batches of appends on their way at once (each a statement on its own pooled connection). */
const MAX_APPENDS_IN_FLIGHT = 2;

interface PendingAppend {
  name: string;
  updates: readonly Uint8Array[];
  resolve(): void;
  reject(error: Error): void;
}

/**
 * The update log in PostgreSQL, for several Quorum processes sharing one database. Ownership of
 * a document is a session-level advisory lock held on one connection kept for the purpose: it
 * is released when the document unloads, and by PostgreSQL itself when this process dies (its
 * connection ends), so a document is never written by two processes at once and never stays
 * locked by a dead one.
 */
export class PostgresDocumentStore implements AsyncDocumentStore {
  readonly asynchronous = true;
  onOwnershipLost?: () => void;
  private owner: pg.Client | null = null;
  private readonly owned = new Set<string>();
  private ownerQueue: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly pool: pg.Pool,
    private readonly url: string,
  ) {}

  static async open(options: PostgresOptions): Promise<PostgresDocumentStore> {
    return new PostgresDocumentStore(await openPostgres(options), options.url);
  }

  load(name: string): Promise<StoredDocument> {
    // One snapshot for both reads: a compaction committed between them would otherwise pair the
    // old state with an emptied log, or the new state with the old rows.
    return this.transaction('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY', async (client) => {
      const state = await client.query<{ state: Buffer | null }>('SELECT state FROM documents WHERE name = $1', [name]);
      const updates = await client.query<{ data: Buffer }>('SELECT data FROM document_updates WHERE doc = $1 ORDER BY id', [name]);
      const stored = state.rows[0]?.state;
      return { state: stored ? new Uint8Array(stored) : null, updates: updates.rows.map((row) => new Uint8Array(row.data)) };
    });
  }

  /** Runs `work` in a transaction on one pooled connection; a connection that failed is not reused. */
  private async transaction<T>(begin: string, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let failure: Error | undefined;
    try {
      await client.query(begin);
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      failure = error as Error;
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.release(failure);
    }
  }

  append(name: string, update: Uint8Array): Promise<void> {
    return this.appendMany(name, [update]);
  }

  /**
   * Commits from every room of this process go out together: those asked for while a commit is
   * in flight form the next one, one statement for all their documents. A round trip to the
   * database costs one statement whatever the number of meetings typing at once.
   */
  appendMany(name: string, updates: readonly Uint8Array[]): Promise<void> {
    if (updates.length === 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.waiting.push({ name, updates, resolve, reject });
      // At the end of this turn of the event loop: every room's commits of the turn go together.
      if (!this.sendScheduled) {
        this.sendScheduled = true;
        setImmediate(() => {
          this.sendScheduled = false;
          this.sendAppends();
        });
      }
    });
  }

  private waiting: PendingAppend[] = [];
  private appendsInFlight = 0;
  private sendScheduled = false;

  private sendAppends(): void {
    if (this.appendsInFlight >= MAX_APPENDS_IN_FLIGHT || this.waiting.length === 0) return;
    const batch = this.waiting;
    this.waiting = [];
    this.appendsInFlight++;
    this.insert(batch)
      .then(
        () => batch.forEach((append) => append.resolve()),
        async (error: Error) => {
          if (batch.length === 1) return batch[0]!.reject(error);
          // One document's rows may be what failed: each on its own, so the others still commit.
          for (const append of batch) await this.insert([append]).then(append.resolve, append.reject);
        },
      )
      .finally(() => {
        this.appendsInFlight--;
        this.sendAppends();
      });
  }

  /** One statement, one transaction; rows take ascending ids in the order given. */
  private async insert(batch: PendingAppend[]): Promise<void> {
    const docs: string[] = [];
    const data: Buffer[] = [];
    for (const append of batch) {
      for (const update of append.updates) {
        docs.push(append.name);
        data.push(bytea(update));
      }
    }
    // Named: each pooled connection parses and plans it once, not at every commit.
    await this.pool.query({
      name: 'quorum-append-updates',
      text: `INSERT INTO document_updates (doc, data, created_at)
             SELECT doc, data, $3 FROM unnest($1::text[], $2::bytea[]) WITH ORDINALITY AS u(doc, data, n) ORDER BY n`,
      values: [docs, data, Date.now()],
    });
  }

  compact(name: string, state: Uint8Array): Promise<void> {
    return this.transaction('BEGIN', async (client) => {
      await client.query(
        `INSERT INTO documents (name, state, updated_at) VALUES ($1, $2, $3)
         ON CONFLICT (name) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at`,
        [name, bytea(state), Date.now()],
      );
      await client.query('DELETE FROM document_updates WHERE doc = $1', [name]);
    });
  }

  async names(): Promise<string[]> {
    const { rows } = await this.pool.query<{ name: string }>(
      'SELECT name FROM (SELECT name FROM documents UNION SELECT doc FROM document_updates) AS stored ORDER BY name COLLATE "C"',
    );
    return rows.map((row) => row.name);
  }

  delete(name: string): Promise<void> {
    return this.transaction('BEGIN', async (client) => {
      await client.query('DELETE FROM document_updates WHERE doc = $1', [name]);
      await client.query('DELETE FROM documents WHERE name = $1', [name]);
    });
  }

  async probe(): Promise<void> {
    await this.pool.query('INSERT INTO storage_probe (id, at) VALUES (1, $1) ON CONFLICT (id) DO UPDATE SET at = excluded.at', [Date.now()]);
  }

  own(name: string): Promise<boolean> {
    return this.onOwner(async (owner) => {
      if (this.owned.has(name)) return true;
      const { rows } = await owner.query<{ locked: boolean }>('SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS locked', [name]);
      const locked = rows[0]?.locked === true;
      if (locked) this.owned.add(name);
      return locked;
    });
  }

  release(name: string): Promise<void> {
    return this.onOwner(async (owner) => {
      if (!this.owned.delete(name)) return;
      await owner.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [name]);
    });
  }

  /** Runs `work` on the owner connection after what was asked of it before (one query at a time). */
  private onOwner<T>(work: (owner: pg.Client) => Promise<T>): Promise<T> {
    const result = this.ownerQueue.then(() => this.ownerConnection()).then(work);
    this.ownerQueue = result.catch(() => {});
    return result;
  }

  /** The connection that holds this process's ownership locks, opened on first use (onOwner serializes). */
  private async ownerConnection(): Promise<pg.Client> {
    if (this.owner) return this.owner;
    // Named for pg_stat_activity: which process owns a document is the pid of the connection
    // holding its advisory lock, and this says whose connection that is.
    const client = new pg.Client({ connectionString: this.url, application_name: `quorum owner ${hostname()}:${process.pid}` });
    const lost = () => {
      if (this.owner !== client) return;
      // Its locks are gone with it: nothing here is owned any more, and another process may
      // take these documents now.
      this.owner = null;
      const had = this.owned.size > 0;
      this.owned.clear();
      if (had) this.onOwnershipLost?.();
    };
    client.on('error', lost);
    client.on('end', lost);
    await client.connect();
    this.owner = client;
    return client;
  }

  async close(): Promise<void> {
    const owner = this.owner;
    this.owner = null;
    this.onOwnershipLost = undefined;
    this.owned.clear();
    await owner?.end().catch(() => {});
    await this.pool.end();
  }
}
