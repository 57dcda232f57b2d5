import * as Y from 'yjs';
import type { StoredDocument } from '../../../server/persistence/document-store.js';

/** Whether `doc` holds everything `other` holds: every insertion and every deletion. */
export function holdsAllOf(doc: Y.Doc, other: Y.Doc): boolean {
  return Y.snapshotContainsUpdate(Y.snapshot(doc), Y.encodeStateAsUpdate(other));
}

/** A stored document read back into a Y.Doc. */
export function readStored(stored: StoredDocument): Y.Doc {
  const doc = new Y.Doc();
  for (const update of [...(stored.state ? [stored.state] : []), ...stored.updates]) Y.applyUpdate(doc, update);
  return doc;
}
