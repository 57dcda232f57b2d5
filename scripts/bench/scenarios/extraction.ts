/**
 * Scenario 6: extraction lag, from an action line typed to the record being visible through the
 * API, under scenario 1a’s load (20 meetings × 10 notetakers typing 2 edits/s, themselves typing
 * action lines now and then). Measured twice at once: in a meeting of its own where only the
 * probe types (the pass starts ~20 ms after a quiet meeting's first change), and in one of the
 * twenty busy meetings, where passes run back to back at the throttle (at most every 250 ms) and
 * a line typed just after a pass started waits for the next: what a notetaker in a lively
 * meeting sees. Quorum with the notes layer only.
 */
import { latencyMetrics, layout, openDocuments, ServerWatch, sleep, withRig, type Metric, type RunContext, type Scenario } from '../lib/harness.js';
import { now } from '../lib/markers.js';
import { measureLag, passTotals } from '../lib/extraction-probe.js';

export const extractionLag: Scenario = {
  id: 's6',
  title: '6. Extraction lag (action line typed → visible through the API, under 1a’s load)',
  run: runExtraction,
};

export function noExtraction(): Metric[] {
  return [{ key: 'lag.p50', label: 'p50', unit: 'ms', value: null, note: 'n/a (no extraction)' }];
}

async function runExtraction(ctx: RunContext): Promise<Metric[]> {
  if (ctx.kind !== 'quorum') return noExtraction();
  const items = ctx.options.quick ? 5 : 20;
  return withRig(ctx, async (rig) => {
    const { server, generator } = rig;
    const names = Array.from({ length: 20 }, (_, i) => `bench-extract-load-${i}`);
    const meetings = await openDocuments(rig, ctx.kind, [...names, 'bench-extract-probe']);
    const { clients, typers } = layout(
      names.map((name) => ({ name, typers: 10, fullFollowers: 0, lightFollowers: 0 })),
      meetings,
    );
    await generator.connect(clients);
    await generator.type(typers, 2, now() + 3_600_000);
    await sleep(2_000);
    const watch = new ServerWatch(server, generator);
    const passesBefore = await passTotals(server.target.port);
    let quiet, busy;
    try {
      [quiet, busy] = await Promise.all([
        measureLag(server.target.port, meetings.docs.get('bench-extract-probe')!, items),
        measureLag(server.target.port, meetings.docs.get(names[0]!)!, items),
      ]);
    } finally {
      await generator.all('stopTyping');
    }
    const usage = watch.finish();
    const passes = await passTotals(server.target.port);
    const count = passes.count - passesBefore.count;
    return [
      ...latencyMetrics('lag', quiet),
      ...latencyMetrics('busyLag', busy).map((m) => ({ ...m, label: `${m.label}, typed in a busy meeting` })),
      { key: 'passMean', label: 'extraction pass, mean server time', unit: 'ms', value: count > 0 ? ((passes.seconds - passesBefore.seconds) / count) * 1000 : null },
      { key: 'passRate', label: 'extraction passes/s (21 meetings)', unit: '/s', value: count / (usage.seconds || 1) },
      { key: 'serverCpu', label: 'server CPU', unit: '%', value: usage.cpu },
      { key: 'generatorCpu', label: 'generator CPU', unit: '%', value: usage.generatorCpu },
    ];
  });
}
