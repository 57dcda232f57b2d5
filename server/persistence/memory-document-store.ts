import type { DocumentStore, StoredDocument } from './document-store.js';

/** For tests of the collaboration core that do not care about disk. */
export class MemoryDocumentStore implements DocumentStore {
  private readonly docs = new Map<string, StoredDocument>();

  load(name: string): StoredDocument {
    const doc = this.docs.get(name);
    return doc ? { state: doc.state, updates: [...doc.updates] } : { state: null, updates: [] };
  }

  append(name: string, update: Uint8Array): void {
    const doc = this.docs.get(name) ?? { state: null, updates: [] };
    doc.updates.push(update.slice());
    this.docs.set(name, doc);
  }

  compact(name: string, state: Uint8Array): void {
    this.docs.set(name, { state: state.slice(), updates: [] });
  }

  names(): string[] {
    return [...this.docs.keys()].sort();
  }

  delete(name: string): void {
    this.docs.delete(name);
  }

  probe(): void {}
}
