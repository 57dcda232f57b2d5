/**
 * Scenario 3: memory per open document. 500 documents, each written to ~20 KB by its one client
 * (1 KB edits), all kept open; (RSS loaded − RSS idle) / documents, from /proc of the server,
 * each reading after a full garbage collection in the server.
 */
import { now } from '../lib/markers.js';
import { layout, MB, openDocuments, sleep, verifyConvergence, withRig, type Metric, type RunContext, type Scenario } from '../lib/harness.js';
import { median } from '../lib/report.js';
import { memory } from '../lib/proc.js';

const BYTES = 20_000;
const CHUNK = 1_000;

export const memoryPerDocument: Scenario = {
  id: 's3',
  title: '3. Memory per open document (500 documents × ~20 KB, one client each)',
  run: runMemory,
};

async function rssMedian(pid: number, samples: number): Promise<number> {
  const values: number[] = [];
  for (let i = 0; i < samples; i++) {
    values.push(memory(pid).rss);
    await sleep(200);
  }
  return median(values)!;
}

async function runMemory(ctx: RunContext): Promise<Metric[]> {
  const count = ctx.options.quick ? 100 : 500;
  return withRig(ctx, async (rig) => {
    const { server, generator } = rig;
    const names = Array.from({ length: count }, (_, i) => `bench-memory-${i}`);
    // The meetings exist before the idle reading (as they would on a real server); none is open.
    const meetings = await openDocuments(rig, ctx.kind, names);
    await sleep(1_000);
    // Memory held, not garbage not yet collected: each server collects before each reading.
    const idleHeap = await server.collectGarbage();
    const idle = await rssMedian(server.pid, 5);
    const { clients, sizes } = layout(
      names.map((name) => ({ name, typers: 1, fullFollowers: 0, lightFollowers: 0 })),
      meetings,
    );
    const docs = [...sizes.keys()];
    await generator.connect(clients);
    const lengths = new Map<string, number>();
    const parts = await Promise.all(
      generator.workers.map((w, i) =>
        w.call<Record<string, number>>('fill', { ids: clients.filter((c) => c.id % generator.workers.length === i).map((c) => c.id), bytes: BYTES, chunk: CHUNK, pauseMs: 20 }),
      ),
    );
    for (const part of parts) for (const [doc, length] of Object.entries(part)) lengths.set(doc, length);
    // The last document written is complete on the server once a fresh client sees all of it.
    const deadline = now() + 30_000;
    for (const doc of [docs[0]!, docs[docs.length - 1]!]) {
      while ((await generator.probe(doc)).length < lengths.get(doc)!) {
        if (now() > deadline) throw new Error(`${doc} did not reach ${lengths.get(doc)} characters on the server`);
        await sleep(200);
      }
    }
    await sleep(2_000);
    const loadedHeap = await server.collectGarbage();
    const loaded = await rssMedian(server.pid, 10);
    const peak = memory(server.pid).hwm;
    await verifyConvergence(generator, docs, new Map(), 60_000);
    return [
      { key: 'perDoc', label: 'memory per open document', unit: 'KB', value: (loaded - idle) / count / 1024 },
      {
        key: 'heapPerDoc',
        label: 'live JS heap + external per document (after GC; not /proc)',
        unit: 'KB',
        value: idleHeap && loadedHeap ? (loadedHeap.heapUsed + loadedHeap.external - idleHeap.heapUsed - idleHeap.external) / count / 1024 : null,
      },
      { key: 'idleRss', label: 'server RSS idle', unit: 'MB', value: idle / MB },
      { key: 'loadedRss', label: `server RSS with ${count} documents`, unit: 'MB', value: loaded / MB },
      { key: 'peakRss', label: 'server peak RSS', unit: 'MB', value: peak / MB },
    ];
  });
}
