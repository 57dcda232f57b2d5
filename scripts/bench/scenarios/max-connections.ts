/**
 * Scenario 2b: the most connections one server process sustains with p99 under 100 ms, spread
 * over 50 documents with one notetaker each typing 1 edit/s. Light followers are added in steps
 * while typing continues; the search stops at the first step that misses the bar.
 */
import { now } from '../lib/markers.js';
import {
  drain,
  expectedDeliveries,
  layout,
  MB,
  openDocuments,
  ServerWatch,
  sleep,
  verifyConvergence,
  withRig,
  type Metric,
  type RunContext,
  type Scenario,
} from '../lib/harness.js';
import type { ClientSpec } from '../worker.js';

const P99_LIMIT_MS = 100;
const DOCS = 50;

export const maxConnections: Scenario = {
  id: 's2b',
  title: '2b. Max connections over 50 documents (1 edit/s each) with p99 < 100 ms',
  // A stepped search is long; one search per server unless asked for more.
  reps: (options) => Math.min(options.reps, Number(process.env.BENCH_SEARCH_REPS ?? 1)),
  run: runSearch,
};

async function runSearch(ctx: RunContext): Promise<Metric[]> {
  const custom = process.env.BENCH_SCALE_STEPS?.split(',').map(Number);
  // 19,000 is the last step this machine allows: 20,000 open files per process (`ulimit -n`).
  const steps = custom ?? (ctx.options.quick ? [200, 500] : [1000, 2000, 3000, 4000, 6000, 8000, 10000, 13000, 16000, 19000]);
  const stepMs = ctx.options.quick ? 2_000 : 6_000;
  return withRig(ctx, async (rig) => {
    const { server, generator } = rig;
    const names = Array.from({ length: DOCS }, (_, i) => `bench-scale-${i}`);
    const meetings = await openDocuments(rig, ctx.kind, names);
    const docs = names.map((name) => meetings.docs.get(name)!.doc);
    const followerToken = new Map(names.map((name) => [meetings.docs.get(name)!.doc, meetings.docs.get(name)!.follower]));
    const base = layout(
      names.map((name) => ({ name, typers: 1, fullFollowers: 0, lightFollowers: 0 })),
      meetings,
    );
    await generator.connect(base.clients);
    const sizes = new Map(base.sizes);
    await generator.type(base.typers, 1, now() + 3_600_000);
    let nextId = base.clients.length;
    let best: { total: number; p99: number; cpu: number; rss: number } | null = null;
    let firstMiss: { total: number; p99: number } | null = null;
    try {
      for (const total of steps) {
        const add: ClientSpec[] = [];
        for (let n = nextId; n < total; n++) {
          const doc = docs[n % DOCS]!;
          const token = followerToken.get(doc);
          add.push({ id: nextId++, doc, kind: 'light', ...(token ? { token } : {}) });
          sizes.set(doc, (sizes.get(doc) ?? 0) + 1);
        }
        await generator.connect(add, 100, 120_000);
        await sleep(1_000);
        const from = now() + 100;
        await generator.all('window', { countFrom: from, from, to: from + stepMs });
        await sleep(100);
        const watch = new ServerWatch(server, generator);
        await sleep(stepMs);
        const usage = watch.finish();
        const sent = await generator.sentByDoc();
        // Edits sent after the window are not owed; the histogram only holds the window's.
        const expected = expectedDeliveries(sent, sizes);
        const delivered = await drain(generator, expected, 3_000);
        const { histogram } = await generator.stats();
        const p99 = histogram.percentile(99);
        const complete = delivered >= expected * 0.999;
        ctx.log(`${total} connections: p99 ${p99.toFixed(1)} ms, delivered ${((delivered / Math.max(1, expected)) * 100).toFixed(1)} %, server CPU ${usage.cpu.toFixed(0)} %, generator CPU ${usage.generatorCpu.toFixed(0)} %`);
        if (p99 >= P99_LIMIT_MS || !complete) {
          firstMiss = { total, p99 };
          break;
        }
        best = { total, p99, cpu: usage.cpu, rss: usage.peakRss };
      }
    } finally {
      await generator.all('stopTyping');
    }
    // Everything typed since the last window opened must reach everyone, and a fresh client must agree.
    const sent = await generator.sentByDoc();
    await drain(generator, expectedDeliveries(sent, sizes), 60_000);
    await verifyConvergence(generator, docs, sent, 60_000);
    const capped = firstMiss === null;
    return [
      { key: 'maxConnections', label: capped ? 'connections sustained (search cap reached)' : 'connections sustained', unit: '', value: best?.total ?? 0, higherIsBetter: true },
      { key: 'p99AtMax', label: 'p99 at that load', unit: 'ms', value: best?.p99 ?? null },
      { key: 'cpuAtMax', label: 'server CPU at that load', unit: '%', value: best?.cpu ?? null },
      { key: 'rssAtMax', label: 'server peak RSS at that load', unit: 'MB', value: best ? best.rss / MB : null },
      { key: 'firstMiss', label: 'first step over the bar', unit: '', value: firstMiss?.total ?? null },
      { key: 'firstMissP99', label: 'p99 at that step', unit: 'ms', value: firstMiss?.p99 ?? null },
    ];
  });
}
