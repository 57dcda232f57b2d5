/**
 * Scenarios 1 and 2a: typers append send-time markers at a fixed rate; every other connection of
 * the document records delivery latency. Measured after a warm-up, then drained and verified.
 */
import { now } from '../lib/markers.js';
import {
  drain,
  expectedDeliveries,
  latencyMetrics,
  layout,
  MB,
  openDocuments,
  ServerWatch,
  sleep,
  verifyConvergence,
  withRig,
  type DocPlan,
  type Metric,
  type RunContext,
  type Scenario,
} from '../lib/harness.js';

export interface FanoutPlan {
  id: string;
  title: string;
  docs: DocPlan[];
  rate: number;
}

export function fanoutScenario(plan: FanoutPlan): Scenario {
  return {
    id: plan.id,
    title: plan.title,
    run: (ctx) => runFanout(ctx, plan),
  };
}

async function runFanout(ctx: RunContext, plan: FanoutPlan): Promise<Metric[]> {
  const warmupMs = ctx.options.warmupMs ?? (ctx.options.quick ? 1_000 : 3_000);
  const measureMs = ctx.options.quick ? 3_000 : 12_000;
  return withRig(ctx, async (rig) => {
    const { server, generator } = rig;
    const meetings = await openDocuments(rig, ctx.kind, plan.docs.map((d) => d.name));
    const { clients, typers, sizes } = layout(plan.docs, meetings);
    const connectStart = now();
    await generator.connect(clients);
    ctx.log(`${clients.length} connections in ${((now() - connectStart) / 1000).toFixed(1)} s`);
    await sleep(500);

    const start = now() + 100;
    const measureFrom = start + warmupMs;
    const until = measureFrom + measureMs;
    await generator.all('window', { countFrom: start, from: measureFrom, to: until });
    await generator.type(typers, plan.rate, until);
    await sleep(measureFrom - now());
    const watch = new ServerWatch(server, generator);
    await sleep(until - now());
    const usage = watch.finish();
    await generator.all('stopTyping');

    const sent = await generator.sentByDoc();
    const expected = expectedDeliveries(sent, sizes);
    const delivered = await drain(generator, expected, 30_000);
    const { histogram } = await generator.stats();
    await verifyConvergence(generator, [...sizes.keys()], sent);
    const typed = [...sent.values()].reduce((a, b) => a + b, 0);
    return [
      ...latencyMetrics('latency', histogram),
      { key: 'deliveredPerSec', label: 'edits delivered/s', unit: '/s', value: delivered / ((until - start) / 1000), higherIsBetter: true },
      { key: 'deliveredShare', label: 'delivered of owed', unit: '%', value: expected > 0 ? (delivered / expected) * 100 : null, higherIsBetter: true },
      { key: 'typed', label: 'edits typed', unit: '', value: typed, higherIsBetter: true },
      { key: 'serverCpu', label: 'server CPU', unit: '%', value: usage.cpu },
      { key: 'serverMainThreadCpu', label: 'of which its main thread', unit: '%', value: usage.mainThreadCpu },
      { key: 'serverRss', label: 'server peak RSS', unit: 'MB', value: usage.peakRss / MB },
      { key: 'generatorCpu', label: 'generator CPU', unit: '%', value: usage.generatorCpu },
    ];
  });
}

export const fanoutDocs = fanoutScenario({
  id: 's1a',
  title: '1a. Fan-out: 20 documents × 10 clients, all typing 2 edits/s',
  rate: 2,
  docs: Array.from({ length: 20 }, (_, i) => ({ name: `bench-fanout-${i}`, typers: 10, fullFollowers: 0, lightFollowers: 0 })),
});

export const bigMeeting = fanoutScenario({
  id: 's1b',
  title: '1b. Big meeting: 1 document × 50 clients (5 typing 2 edits/s, 45 following)',
  rate: 2,
  docs: [{ name: 'bench-meeting', typers: 5, fullFollowers: 45, lightFollowers: 0 }],
});

export const thousand = fanoutScenario({
  id: 's2a',
  title: '2a. Scale: 1 session × 1,000 connections (50 notetakers 1 edit/s, 950 light followers)',
  rate: 1,
  docs: [{ name: 'bench-session', typers: 50, fullFollowers: 0, lightFollowers: 950 }],
});
