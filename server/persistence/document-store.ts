/**
 * The narrow storage contract the collaboration core needs, in two forms.
 *
 * `DocumentStore` is synchronous (SQLite, memory): an update is appended in the same tick it is
 * applied, before anyone is sent it, so an acknowledged update can never be lost by a crash
 * between "applied" and "stored".
 *
 * `AsyncDocumentStore` is a database across the network (PostgreSQL), where a write is a round
 * trip. The rule is the same, kept by the room's commit queue (collab/commit-queue.ts): an update
 * is relayed, and a client's is applied, only once its commit has returned. Updates that arrive
 * while one commit is in flight go together in the next (`appendMany`, one transaction).
 *
 * test/contracts/document-store.contract.ts runs one suite against every implementation.
 */
export interface StoredDocument {
  /** The merged state written by the last compaction, if any. */
  state: Uint8Array | null;
  /** Updates appended since, in order. */
  updates: Uint8Array[];
}

export interface DocumentStore {
  readonly asynchronous?: false;
  load(name: string): StoredDocument;
  append(name: string, update: Uint8Array): void;
  /** Atomically replaces the merged state and empties the log. */
  compact(name: string, state: Uint8Array): void;
  /** Names of every stored document. */
  names(): string[];
  delete(name: string): void;
  /** A tiny write that throws when the store cannot write (full disk, read-only file). */
  probe(): void;
}

export interface AsyncDocumentStore {
  readonly asynchronous: true;
  load(name: string): Promise<StoredDocument>;
  append(name: string, update: Uint8Array): Promise<void>;
  /** Appends several updates in order, in one transaction: all of them or none. */
  appendMany(name: string, updates: readonly Uint8Array[]): Promise<void>;
  compact(name: string, state: Uint8Array): Promise<void>;
  names(): Promise<string[]>;
  delete(name: string): Promise<void>;
  probe(): Promise<void>;
  /**
   * Takes this process's ownership of a document, for as long as it is loaded here: false while
   * another process holds it. Ownership ends with `release`, or with this process's connection
   * to the database (a killed process's documents are free at once).
   */
  own(name: string): Promise<boolean>;
  release(name: string): Promise<void>;
  /** Called when every ownership was lost at once (the connection holding them ended). */
  onOwnershipLost?: () => void;
  close(): Promise<void>;
}

export type AnyDocumentStore = DocumentStore | AsyncDocumentStore;

export function isAsyncStore(store: AnyDocumentStore): store is AsyncDocumentStore {
  return store.asynchronous === true;
}
