/**
 * Send-time markers typed into documents: ⟦typer seq sendTime⟧, numbers in letters. Full clients
 * find them in the deltas of each remote event; light followers find them in raw update bytes,
 * where Yjs stores inserted strings verbatim as UTF-8.
 */
export const OPEN = '⟦';
export const CLOSE = '⟧';
const OPEN_BYTES = Buffer.from(OPEN);
const CLOSE_BYTES = Buffer.from(CLOSE);

/** Wall-clock milliseconds with sub-millisecond precision, comparable across processes. */
export function now(): number {
  return performance.timeOrigin + performance.now();
}

/**
 * Numbers written in letters (base 26, a–z): typed notes are words, and a line of digits would
 * make the notes layer's date parser work far harder than on anything people type.
 */
function letters(n: number): string {
  let out = '';
  do {
    out = String.fromCharCode(97 + (n % 26)) + out;
    n = Math.floor(n / 26);
  } while (n > 0);
  return out;
}

function number(word: string): number {
  let n = 0;
  for (const ch of word) n = n * 26 + (ch.charCodeAt(0) - 97);
  return n;
}

/** Send times in tenths of a millisecond. */
export function marker(typer: number, seq: number, sentAt = now()): string {
  return `${OPEN}${letters(typer)} ${letters(seq)} ${letters(Math.round(sentAt * 10))}${CLOSE}`;
}

function decode(body: string): Found | null {
  const parts = body.split(' ');
  if (parts.length !== 3 || parts.some((p) => !/^[a-z]+$/.test(p))) return null;
  return { typer: number(parts[0]!), seq: number(parts[1]!), sentAt: number(parts[2]!) / 10 };
}

export interface Found {
  typer: number;
  seq: number;
  sentAt: number;
}

const PATTERN = /⟦([a-z]+ [a-z]+ [a-z]+)⟧/g;

export function markersInText(text: string, found: (m: Found) => void): void {
  if (!text.includes(OPEN)) return;
  for (const match of text.matchAll(PATTERN)) {
    const m = decode(match[1]!);
    if (m) found(m);
  }
}

export function markersInBytes(bytes: Buffer, from: number, found: (m: Found) => void): void {
  let at = bytes.indexOf(OPEN_BYTES, from);
  while (at !== -1) {
    const end = bytes.indexOf(CLOSE_BYTES, at + OPEN_BYTES.length);
    if (end === -1) return;
    const m = decode(bytes.toString('latin1', at + OPEN_BYTES.length, end));
    if (m) found(m);
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
