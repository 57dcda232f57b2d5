/**
 * A fixed-bucket latency histogram that workers fill and the runner merges: 0.1 ms buckets up
 * to 100 ms, 1 ms up to 10.1 s, 10 ms beyond (capped near 110 s). Exact max is kept apart.
 */
const FINE = 1000;
const MEDIUM = 10_000;
const COARSE = 10_000;
export const BUCKETS = FINE + MEDIUM + COARSE;

function bucketOf(ms: number): number {
  if (ms < 0) return 0;
  if (ms < 100) return Math.floor(ms * 10);
  if (ms < 10_100) return FINE + Math.floor(ms - 100);
  return FINE + MEDIUM + Math.min(COARSE - 1, Math.floor((ms - 10_100) / 10));
}

function valueOf(bucket: number): number {
  if (bucket < FINE) return (bucket + 0.5) / 10;
  if (bucket < FINE + MEDIUM) return 100 + (bucket - FINE) + 0.5;
  return 10_100 + (bucket - FINE - MEDIUM) * 10 + 5;
}

export interface HistogramData {
  counts: number[];
  max: number;
  n: number;
}

export class Histogram {
  counts = new Uint32Array(BUCKETS);
  max = 0;
  n = 0;

  record(ms: number): void {
    this.counts[bucketOf(ms)]!++;
    if (ms > this.max) this.max = ms;
    this.n++;
  }

  reset(): void {
    this.counts.fill(0);
    this.max = 0;
    this.n = 0;
  }

  /** Sparse form for IPC: [bucket, count, bucket, count, …]. */
  toData(): HistogramData {
    const counts: number[] = [];
    for (let i = 0; i < BUCKETS; i++) if (this.counts[i]) counts.push(i, this.counts[i]!);
    return { counts, max: this.max, n: this.n };
  }

  add(data: HistogramData): void {
    for (let i = 0; i < data.counts.length; i += 2) this.counts[data.counts[i]!]! += data.counts[i + 1]!;
    this.max = Math.max(this.max, data.max);
    this.n += data.n;
  }

  percentile(p: number): number {
    if (this.n === 0) return NaN;
    const rank = Math.ceil((p / 100) * this.n);
    let seen = 0;
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.counts[i]!;
      if (seen >= rank) return Math.min(valueOf(i), this.max);
    }
    return this.max;
  }
}
