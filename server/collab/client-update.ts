// What of a client's update the document lacks: what is stored and applied of it.
import * as Y from 'yjs';
import { unseenDeletions } from './missing-deletions.js';

/** An update with no structs and no deletions. */
export function isEmptyUpdate(update: Uint8Array): boolean {
  return update.byteLength === 2 && update[0] === 0 && update[1] === 0;
}

/** A client's update up to this size is read whole to see whether it is all new (a keystroke's is ~40 B). */
const READ_WHOLE_BYTES = 16 * 1024;

/**
 * What of a client's update `doc` lacks: the structs it does not hold, and only the deletions it
 * has not made when the update holds deletions alone; null when applying it would change nothing.
 * Also validates the update: a malformed one throws.
 */
export function lackedBy(doc: Y.Doc, update: Uint8Array): Uint8Array | null {
  if (update.byteLength <= READ_WHOLE_BYTES) {
    // A keystroke: its writer's own new structs, or deletions alone. Reading it once validates it
    // as the diff below would, and such an update needs no diff: encoding the document's state
    // vector and the update anew cost ~50 µs a keystroke in the fan-out benchmark, this ~20.
    const { structs, ds } = Y.decodeUpdate(update);
    if (structs.length === 0) return unseenDeletions(doc, update, ds.clients);
    if (structs.every((struct) => struct.id.clock >= Y.getState(doc.store, struct.id.client))) return update;
  }
  const diff = Y.diffUpdate(update, Y.encodeStateVector(doc));
  return isEmptyUpdate(diff) ? null : unseenDeletions(doc, diff);
}
