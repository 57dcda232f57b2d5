// The histograms of the collaboration core and the notes layer, observed on their hot paths: the
// relay's latency once per connection sent to (~3,600 times a second in the fan-out benchmark,
// 20 meetings of 10 notetakers), the extraction lag and pass time once per pass. prom-client's
// Histogram spends ~0.2 µs an observation in a loop and ~1.5 µs in a busy server (labels
// converted and validated, a closure and a hash per call: ~0.5 % of a core in that benchmark's
// CPU profiles). This one counts into an array; prom-client reads it like any of its metrics when
// scraped (Registry.registerMetric takes anything with `get`), and the exposition is the same as
// a label-less prom-client Histogram's (test/server/metrics.test.ts).

import type { Metric, Registry } from 'prom-client';

/** One line of the exposition, as prom-client's own metrics hand them to their registry. */
interface Sample {
  value: number;
  labels: Record<string, string | number>;
  metricName: string;
}

export interface CountedHistogramOptions {
  name: string;
  help: string;
  /** Upper bounds, ascending; a value equal to a bound falls in its bucket (`le`). */
  buckets: readonly number[];
  registers: readonly Registry[];
}

export class CountedHistogram {
  readonly name: string;
  readonly help: string;
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  private readonly bounds: Float64Array;
  /** Per bucket (not cumulative), the last for values above every bound. */
  private readonly counts: Float64Array;
  private sum = 0;
  private count = 0;

  constructor(options: CountedHistogramOptions) {
    if (options.buckets.some((bound, i) => i > 0 && bound <= options.buckets[i - 1]!)) throw new Error(`${options.name}: buckets must ascend`);
    this.name = options.name;
    this.help = options.help;
    this.bounds = Float64Array.from(options.buckets);
    this.counts = new Float64Array(options.buckets.length + 1);
    for (const registry of options.registers) registry.registerMetric(this as unknown as Metric);
  }

  observe(value: number): void {
    if (!Number.isFinite(value)) throw new TypeError(`${this.name}: not a finite number: ${value}`);
    const bounds = this.bounds;
    let bucket = 0;
    while (bucket < bounds.length && value > bounds[bucket]!) bucket++;
    this.counts[bucket]!++;
    this.sum += value;
    this.count++;
  }

  reset(): void {
    this.counts.fill(0);
    this.sum = 0;
    this.count = 0;
  }

  async get(): Promise<{ name: string; help: string; type: string; aggregator: string; values: Sample[] }> {
    const values: Sample[] = [];
    let cumulative = 0;
    this.bounds.forEach((bound, i) => {
      cumulative += this.counts[i]!;
      values.push({ value: cumulative, labels: { le: bound }, metricName: `${this.name}_bucket` });
    });
    values.push({ value: this.count, labels: { le: '+Inf' }, metricName: `${this.name}_bucket` });
    values.push({ value: this.sum, labels: {}, metricName: `${this.name}_sum` });
    values.push({ value: this.count, labels: {}, metricName: `${this.name}_count` });
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values };
  }
}
