/**
 * Scenario 5: reconnect storm. 200 clients on 10 documents of ~20 KB drop at once, each types
 * one edit while offline, and all reconnect at the same instant. Times until every client is
 * synced again, and until every client holds every other client's offline edit.
 */
import { now } from '../lib/markers.js';
import {
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

export const reconnectStorm: Scenario = {
  id: 's5',
  title: '5. Reconnect storm: 200 clients (10 documents × 20) drop and reconnect at once',
  run: runStorm,
};

async function runStorm(ctx: RunContext): Promise<Metric[]> {
  const docCount = ctx.options.quick ? 5 : 10;
  const perDoc = ctx.options.quick ? 10 : 20;
  return withRig(ctx, async (rig) => {
    const { server, generator } = rig;
    const names = Array.from({ length: docCount }, (_, i) => `bench-storm-${i}`);
    const meetings = await openDocuments(rig, ctx.kind, names);
    // Notetakers all: each types while offline.
    const { clients, sizes } = layout(
      names.map((name) => ({ name, typers: perDoc, fullFollowers: 0, lightFollowers: 0 })),
      meetings,
    );
    const docs = [...sizes.keys()];
    await generator.connect(clients);
    const writers = docs.map((_, d) => d * perDoc);
    await Promise.all(
      generator.workers.map((w, i) =>
        w.call('fill', { ids: writers.filter((id) => id % generator.workers.length === i), bytes: 20_000, chunk: 1_000, pauseMs: 20 }),
      ),
    );
    await verifyConvergence(generator, docs, new Map(), 30_000);

    const countFrom = now() + 50;
    await generator.all('window', { countFrom, from: Infinity, to: Infinity });
    await sleep(100);
    await generator.all('drop');
    await sleep(1_500);
    const at = now() + 300;
    const watch = new ServerWatch(server, generator);
    const results = await generator.all<{ syncedMs: number; convergedMs: number }>('reconnect', { at, expect: perDoc - 1, timeoutMs: 60_000 });
    const usage = watch.finish();
    const sent = await generator.sentByDoc();
    await verifyConvergence(generator, docs, sent, 30_000);
    return [
      { key: 'synced', label: 'all 200 synced again', unit: 'ms', value: Math.max(...results.map((r) => r.syncedMs)) },
      { key: 'converged', label: 'all hold all offline edits', unit: 'ms', value: Math.max(...results.map((r) => r.convergedMs)) },
      { key: 'serverCpu', label: 'server CPU during storm', unit: '%', value: usage.cpu },
      { key: 'serverRss', label: 'server peak RSS', unit: 'MB', value: usage.peakRss / MB },
    ];
  });
}
