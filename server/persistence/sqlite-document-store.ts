import type { Db } from '../db/database.js';
import type { DocumentStore, StoredDocument } from './document-store.js';

/**
 * The update log shares its SQLite connection with the query layer, whose transactions await
 * between statements (kysely is asynchronous). Everything the log writes while one of them is
 * open would be part of it, and undone with it if it rolls back, while the room believes it
 * stored: so the log refuses to write then. The room treats it as any refused write (the client
 * keeps its edit and sends it again; the server's own edits wait), and it is stored once the
 * transaction is over. None of our transactions leaves the connection open across a turn of the
 * event loop today; this keeps one that someday does from losing edits.
 */
export class ConnectionInTransactionError extends Error {
  readonly code = 'QUORUM_IN_TRANSACTION';
  constructor() {
    super('the database connection is inside another transaction');
  }
}

export class SqliteDocumentStore implements DocumentStore {
  private readonly selectState;
  private readonly selectUpdates;
  private readonly insertUpdate;
  private readonly upsertState;
  private readonly deleteUpdates;
  private readonly deleteState;
  private readonly selectNames;
  private readonly compactTx;
  private readonly writeProbe;

  constructor(private readonly db: Db) {
    this.selectState = db.prepare<[string], { state: Buffer | null }>('SELECT state FROM documents WHERE name = ?');
    this.selectUpdates = db.prepare<[string], { data: Buffer }>('SELECT data FROM document_updates WHERE doc = ? ORDER BY id');
    // Each document's rows are numbered 1, 2, … after its last one: one seek in the page the row goes to.
    this.insertUpdate = db.prepare<[string, string, Uint8Array, number]>(
      `INSERT INTO document_updates (doc, id, data, created_at)
       VALUES (?, (SELECT coalesce(max(id), 0) + 1 FROM document_updates WHERE doc = ?), ?, ?)`,
    );
    this.upsertState = db.prepare<[string, Uint8Array, number]>(
      `INSERT INTO documents (name, state, updated_at) VALUES (?, ?, ?)
       ON CONFLICT (name) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at`,
    );
    this.deleteUpdates = db.prepare<[string]>('DELETE FROM document_updates WHERE doc = ?');
    this.deleteState = db.prepare<[string]>('DELETE FROM documents WHERE name = ?');
    this.selectNames = db.prepare<[], { name: string }>(
      'SELECT name FROM documents UNION SELECT DISTINCT doc AS name FROM document_updates ORDER BY name',
    );
    this.writeProbe = db.prepare<[number]>('INSERT INTO storage_probe (id, at) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET at = excluded.at');
    this.compactTx = db.transaction((name: string, state: Uint8Array) => {
      this.upsertState.run(name, state, Date.now());
      this.deleteUpdates.run(name);
    });
  }

  load(name: string): StoredDocument {
    const row = this.selectState.get(name);
    const updates = this.selectUpdates.all(name).map((r) => new Uint8Array(r.data));
    return { state: row?.state ? new Uint8Array(row.state) : null, updates };
  }

  append(name: string, update: Uint8Array): void {
    this.outsideTransactions();
    this.insertUpdate.run(name, name, update, Date.now());
  }

  compact(name: string, state: Uint8Array): void {
    this.outsideTransactions();
    this.compactTx(name, state);
  }

  names(): string[] {
    return this.selectNames.all().map((r) => r.name);
  }

  probe(): void {
    this.outsideTransactions();
    this.writeProbe.run(Date.now());
  }

  delete(name: string): void {
    this.outsideTransactions();
    this.db.transaction(() => {
      this.deleteUpdates.run(name);
      this.deleteState.run(name);
    })();
  }

  private outsideTransactions(): void {
    if (this.db.inTransaction) throw new ConnectionInTransactionError();
  }
}
