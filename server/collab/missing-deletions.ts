import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';

/** Deleted ranges of each client's clock, sorted by clock (the shape of Yjs's DeleteSet). */
type Deletions = Map<number, ReadonlyArray<{ clock: number; len: number }>>;

/**
 * What a reconnecting client lacks, knowing which deletions it holds: the structs past its state
 * vector and only the deletions it has not seen.
 *
 * The sync protocol's answer to a state vector is those structs plus the document's whole delete
 * set, because a state vector says nothing about deletions: for a meeting of 100,000 keystrokes
 * with its backspaces that is ~30 KB to a client that missed five. The client's answer to our
 * step 1 carries its own whole delete set, so once that has arrived the difference is exact.
 */
export function updateLacking(doc: Y.Doc, clientVector: Uint8Array, clientUpdate: Uint8Array): Uint8Array {
  const update = Y.encodeStateAsUpdate(doc, clientVector);
  const all = Y.createDeleteSetFromStructStore(doc.store).clients;
  const allBytes = encodeDeletions(all);
  // The update is the structs followed by exactly this delete set, unless the document holds
  // pending changes (merged into the update differently): then the standard answer stands.
  if (!endsWith(update, allBytes)) return update;
  const lacking = encodeDeletions(subtract(all, Y.decodeUpdate(clientUpdate).ds.clients));
  // A difference can split a range in two: never answer with more than the whole set.
  if (lacking.byteLength >= allBytes.byteLength) return update;
  const structsLength = update.byteLength - allBytes.byteLength;
  const reply = new Uint8Array(structsLength + lacking.byteLength);
  reply.set(update.subarray(0, structsLength));
  reply.set(lacking, structsLength);
  return reply;
}

/** The ranges of `all` not covered by `known`, client by client. */
export function subtract(all: Deletions, known: Deletions): Deletions {
  const result: Deletions = new Map();
  for (const [client, ranges] of all) {
    const covered = [...(known.get(client) ?? [])].sort((a, b) => a.clock - b.clock);
    const left: Array<{ clock: number; len: number }> = [];
    let k = 0;
    for (const range of ranges) {
      let clock = range.clock;
      const end = range.clock + range.len;
      while (clock < end) {
        while (k < covered.length && covered[k]!.clock + covered[k]!.len <= clock) k++;
        const next = covered[k];
        if (next === undefined || next.clock >= end) {
          left.push({ clock, len: end - clock });
          break;
        }
        if (next.clock > clock) left.push({ clock, len: next.clock - clock });
        clock = next.clock + next.len;
      }
    }
    if (left.length > 0) result.set(client, left);
  }
  return result;
}

/** A delete set as Yjs writes it into a v1 update (clients in descending order), so the bytes compare equal. */
function encodeDeletions(deletions: Deletions): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, deletions.size);
  for (const [client, ranges] of [...deletions].sort((a, b) => b[0] - a[0])) {
    encoding.writeVarUint(encoder, client);
    encoding.writeVarUint(encoder, ranges.length);
    for (const range of ranges) {
      encoding.writeVarUint(encoder, range.clock);
      encoding.writeVarUint(encoder, range.len);
    }
  }
  return encoding.toUint8Array(encoder);
}

function endsWith(bytes: Uint8Array, suffix: Uint8Array): boolean {
  if (suffix.byteLength > bytes.byteLength) return false;
  const offset = bytes.byteLength - suffix.byteLength;
  for (let i = 0; i < suffix.byteLength; i++) if (bytes[offset + i] !== suffix[i]) return false;
  return true;
}
