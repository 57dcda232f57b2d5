// The Yjs documents Quorum writes into are made here, so that V8 keeps every item's client id
// a small integer rather than a boxed number.
import * as Y from 'yjs';
import { uint32 } from 'lib0/random';

/**
 * A fresh Yjs client id below 2^30. Yjs draws its ids from all 32 bits, but V8 keeps integers
 * only up to 2^31 − 1 unboxed (2^30 − 1 in browsers, which compress pointers); every item id of
 * a larger client holds a 16-byte heap number of its own. Ids stay random: a clash between a
 * meeting's ten writers is still about 4 in 10^8.
 */
export function smallClientId(): number {
  return uint32() >>> 2;
}

let fieldsTagged = false;

/**
 * Makes V8 hold `Doc.clientID` and `ID.client` as tagged fields. V8 stores a field that has only
 * held small integers as such; once one of them is given a boxed number (a document drawing a
 * large id in Yjs's constructor does), the field becomes a boxed double for every object of its
 * shape. A document's own writes then hand a fresh box to each item id they create, and from the
 * first of those on every item id the process makes or decodes, small or not, gets a 16-byte box
 * of its own (bench scenario 3: 245 KB of live heap per open meeting with this, 254 without). A
 * tagged field keeps small integers unboxed whatever else it has held; one non-number in each
 * field makes it so for the life of the process. test/shared/client-id.test.ts checks it in V8.
 */
function tagIdFields(): void {
  if (fieldsTagged) return;
  fieldsTagged = true;
  Y.createID('tagged' as unknown as number, 0);
  const doc = new Y.Doc();
  (doc as { clientID: unknown }).clientID = 'tagged';
  doc.destroy();
}

/** A Y.Doc whose own edits are written under a small client id (see `tagIdFields`). */
export function newDoc(): Y.Doc {
  tagIdFields();
  const doc = new Y.Doc();
  doc.clientID = smallClientId();
  return doc;
}
