/**
 * Scenario 4: cold join of a long meeting. A document of 100,000 small edits is sent to the
 * server; new clients then join and we time until they are synced: with the document in
 * memory (another client keeps it open), and after a server restart (loaded from disk).
 */
import { longDocument } from '../lib/long-doc.js';
import { now } from '../lib/markers.js';
import { ConvergenceError, sleep, withRig, type Metric, type RunContext, type Scenario } from '../lib/harness.js';
import { median } from '../lib/report.js';
import { cpuSeconds } from '../lib/proc.js';

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
    // Wall time suffers from other load on the machine; the server's CPU time per join less so.
    const cpuBefore = cpuSeconds(rig.server.pid);
    for (let i = 0; i < joins; i++) {
      const probe = await rig.generator.probe(DOC, 60_000, 1);
      check(probe, 'in memory');
      inMemory.push(probe.ms);
    }
    const cpuPerJoin = ((cpuSeconds(rig.server.pid) - cpuBefore) / joins) * 1000;
    const metrics: Metric[] = [
      { key: 'inMemory', label: 'join, document in memory', unit: 'ms', value: median(inMemory) },
      { key: 'cpuPerJoin', label: 'server CPU per in-memory join', unit: 'ms', value: cpuPerJoin },
      { key: 'updateBytes', label: 'document size (state update)', unit: 'KB', value: long.update.byteLength / 1024 },
    ];
    if (ctx.kind === 'reference') {
      metrics.push({ key: 'afterRestart', label: 'join after restart (load from disk)', unit: 'ms', value: null, note: 'n/a (in memory)' });
      metrics.push({ key: 'cpuCold', label: 'server CPU for that join', unit: 'ms', value: null, note: 'n/a' });
      return metrics;
    }
    await rig.generator.all('closeAll');
    await sleep(300);
    await rig.restart();
    const cpuBeforeCold = cpuSeconds(rig.server.pid);
    const cold = await rig.generator.probe(DOC, 60_000, 1);
    const cpuCold = (cpuSeconds(rig.server.pid) - cpuBeforeCold) * 1000;
    check(cold, 'after restart');
    const warm = await rig.generator.probe(DOC, 60_000, 1);
    check(warm, 'after restart, second join');
    metrics.push({ key: 'afterRestart', label: 'join after restart (load from disk)', unit: 'ms', value: cold.ms });
    metrics.push({ key: 'cpuCold', label: 'server CPU for that join', unit: 'ms', value: cpuCold });
    return metrics;
  });
}
