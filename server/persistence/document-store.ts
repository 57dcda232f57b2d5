/**
 * The narrow storage contract the collaboration core needs. Synchronous on purpose: an update
 * is appended in the same tick it is applied, before anyone is sent it, so an acknowledged
 * update can never be lost by a crash between "applied" and "stored".
 * test/contracts/document-store.contract.ts runs one suite against every implementation.
 */
export interface StoredDocument {
  /** The merged state written by the last compaction, if any. */
  state: Uint8Array | null;
  /** Updates appended since, in order. */
  updates: Uint8Array[];
}

export interface DocumentStore {
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
