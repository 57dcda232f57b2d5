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

/**
 * A client's update as far as it changes `doc`, when it holds deletions alone (`update` is a diff
 * against the document's state vector): only the deletions the document has not made, or null
 * when it has made them all. An update with structs is returned as it is.
 *
 * A client that reconnects holding the document answers our step 1 with its whole delete set,
 * which a state vector cannot rule out: for a long meeting ~30 KB that changes nothing, yet was
 * stored in the update log at every reconnect, and a follower's was checked against a snapshot
 * of the whole document. This reads only the items the ranges name (a binary search each).
 * `read` is the update's delete set, when the caller has read it already.
 */
export function unseenDeletions(doc: Y.Doc, update: Uint8Array, read?: Deletions): Uint8Array | null {
  // A v1 update opens with the number of clients whose structs follow: 0 is a delete set alone.
  if (update[0] !== 0) return update;
  const unseen: Map<number, Array<{ clock: number; len: number }>> = new Map();
  for (const [client, ranges] of read ?? Y.decodeUpdate(update).ds.clients) {
    const structs = doc.store.clients.get(client);
    const last = structs?.[structs.length - 1];
    const known = last ? last.id.clock + last.length : 0;
    const left: Array<{ clock: number; len: number }> = [];
    const keep = (clock: number, end: number): void => {
      const previous = left[left.length - 1];
      if (previous && previous.clock + previous.len === clock) previous.len += end - clock;
      else left.push({ clock, len: end - clock });
    };
    for (const { clock, end } of merged(ranges)) {
      let at = clock;
      if (structs && clock < known) {
        for (let i = Y.findIndexSS(structs, clock); i < structs.length && at < end; i++) {
          const struct = structs[i]!;
          const structEnd = Math.min(struct.id.clock + struct.length, end);
          if (!struct.deleted) keep(at, structEnd);
          at = structEnd;
        }
      }
      // Items the document does not hold yet: Yjs keeps such deletions until they arrive.
      if (at < end) keep(at, end);
    }
    if (left.length > 0) unseen.set(client, left);
  }
  if (unseen.size === 0) return null;
  const encoded = encodeDeletions(unseen);
  const result = new Uint8Array(1 + encoded.byteLength);
  result.set(encoded, 1);
  return result;
}

/**
 * Ranges in order of clock with overlapping ones joined: a client's delete set may name an item
 * many times over (Yjs writes none such, a crafted one can), and each item should be looked at once.
 */
function merged(ranges: ReadonlyArray<{ clock: number; len: number }>): Array<{ clock: number; end: number }> {
  const sorted = [...ranges].sort((a, b) => a.clock - b.clock);
  const out: Array<{ clock: number; end: number }> = [];
  for (const { clock, len } of sorted) {
    const last = out[out.length - 1];
    if (last && clock <= last.end) last.end = Math.max(last.end, clock + len);
    else out.push({ clock, end: clock + len });
  }
  return out;
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
