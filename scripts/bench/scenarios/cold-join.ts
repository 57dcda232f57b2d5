/**
 * Scenario 4: cold join of a long meeting. A document of 100,000 small edits is sent to the
 * server; new clients then join and we time until they are synced: with the document in
 * memory (another client keeps it open), and after a server restart (loaded from disk).
 */
import { longDocument } from '../lib/long-doc.js';
import { now } from '../lib/markers.js';
import { ConvergenceError, sleep, withRig, type Metric, type RunContext, type Scenario } from '../lib/harness.js';
import { median } from '../lib/report.js';

const DOC = 'bench-long-meeting';

export const coldJoin: Scenario = {
  id: 's4',
  title: '4. Cold join of a long meeting (document of 100,000 edits)',
  run: runColdJoin,
};

async function runColdJoin(ctx: RunContext): Promise<Metric[]> {
  const edits = ctx.options.quick ? 20_000 : 100_000;
  const joins = ctx.options.quick ? 2 : 5;
  const long = longDocument(edits);
  return withRig(ctx, async (rig) => {
    const holder = rig.generator.workers[0]!;
    await holder.call('connect', { clients: [{ id: 0, doc: DOC, kind: 'full' }], concurrency: 1, timeoutMs: 30_000 });
    await holder.call('seed', { id: 0, update: Buffer.from(long.update).toString('base64') });
    const deadline = now() + 60_000;
    while ((await rig.generator.probe(DOC, 60_000, 1)).length !== long.textLength) {
      if (now() > deadline) throw new ConvergenceError('the long document never reached the server');
      await sleep(200);
    }
    const check = (probe: { hash: string; length: number }, when: string): void => {
      if (probe.hash !== long.hash) throw new ConvergenceError(`${when}: a fresh client saw ${probe.length} characters, not the ${long.textLength} written`);
    };
    const inMemory: number[] = [];
    for (let i = 0; i < joins; i++) {
      const probe = await rig.generator.probe(DOC, 60_000, 1);
      check(probe, 'in memory');
      inMemory.push(probe.ms);
    }
    const metrics: Metric[] = [
      { key: 'inMemory', label: 'join, document in memory', unit: 'ms', value: median(inMemory) },
      { key: 'updateBytes', label: 'document size (state update)', unit: 'KB', value: long.update.byteLength / 1024 },
    ];
    if (ctx.kind === 'reference') {
      metrics.push({ key: 'afterRestart', label: 'join after restart (load from disk)', unit: 'ms', value: null, note: 'n/a (in memory)' });
      return metrics;
    }
    await rig.generator.all('closeAll');
    await sleep(300);
    await rig.restart();
    const cold = await rig.generator.probe(DOC, 60_000, 1);
    check(cold, 'after restart');
    const warm = await rig.generator.probe(DOC, 60_000, 1);
    check(warm, 'after restart, second join');
    metrics.push({ key: 'afterRestart', label: 'join after restart (load from disk)', unit: 'ms', value: cold.ms });
    return metrics;
  });
}
