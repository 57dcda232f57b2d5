/**
 * Send-time markers typed into documents: ⟦typer:seq:sendTime⟧. Full clients find them in the
 * Y.Text delta of each remote event; light followers find them in raw update bytes, where Yjs
 * stores inserted strings verbatim as UTF-8.
 */
export const OPEN = '⟦';
export const CLOSE = '⟧';
const OPEN_BYTES = Buffer.from(OPEN);
const CLOSE_BYTES = Buffer.from(CLOSE);

/** Wall-clock milliseconds with sub-millisecond precision, comparable across processes. */
export function now(): number {
  return performance.timeOrigin + performance.now();
}

export function marker(typer: number, seq: number, sentAt = now()): string {
  return `${OPEN}${typer}:${seq}:${sentAt.toFixed(1)}${CLOSE}`;
}

export interface Found {
  typer: number;
  seq: number;
  sentAt: number;
}

const PATTERN = /⟦(\d+):(\d+):(\d+(?:\.\d+)?)⟧/g;

export function markersInText(text: string, found: (m: Found) => void): void {
  if (!text.includes(OPEN)) return;
  for (const match of text.matchAll(PATTERN)) {
    found({ typer: Number(match[1]), seq: Number(match[2]), sentAt: Number(match[3]) });
  }
}

export function markersInBytes(bytes: Buffer, from: number, found: (m: Found) => void): void {
  let at = bytes.indexOf(OPEN_BYTES, from);
  while (at !== -1) {
    const end = bytes.indexOf(CLOSE_BYTES, at + OPEN_BYTES.length);
    if (end === -1) return;
    const parts = bytes.toString('latin1', at + OPEN_BYTES.length, end).split(':');
    if (parts.length === 3) found({ typer: Number(parts[0]), seq: Number(parts[1]), sentAt: Number(parts[2]) });
    at = bytes.indexOf(OPEN_BYTES, end + CLOSE_BYTES.length);
  }
}

/** Which (typer, seq) pairs a receiver has seen, so a marker counts once per receiver. */
export class SeenSet {
  private readonly byTyper = new Map<number, Uint8Array>();

  /** True the first time a marker is seen. */
  add(typer: number, seq: number): boolean {
    let bits = this.byTyper.get(typer);
    if (!bits || seq >> 3 >= bits.length) {
      const grown = new Uint8Array(Math.max(16, (seq >> 3) * 2 + 1));
      if (bits) grown.set(bits);
      bits = grown;
      this.byTyper.set(typer, bits);
    }
    const mask = 1 << (seq & 7);
    if (bits[seq >> 3]! & mask) return false;
    bits[seq >> 3]! |= mask;
    return true;
  }
}
