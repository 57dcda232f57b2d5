/**
 * Scenario 7: typing into a long meeting. The third day's session of a three-day meeting holds
 * about 30,000 words of notes (7a: 300 words, the same meeting early on); 5 notetakers type 2 edits/s
 * into it (Lexical-shaped, every fourth line an action item) while 15 followers watch, and a sixth
 * notetaker types action lines whose extraction lag is measured. On Quorum the server's mean time
 * per extraction pass (from its /metrics) shows what one keystroke's pass costs at each length.
 */
import {
  drain,
  expectedDeliveries,
  latencyMetrics,
  layout,
  openDocuments,
  ServerWatch,
  sleep,
  verifyConvergence,
  withRig,
  ConvergenceError,
  type Metric,
  type RunContext,
  type Scenario,
} from '../lib/harness.js';
import { now } from '../lib/markers.js';
import { meetingNotes } from '../lib/long-doc.js';
import { listActions, measureLag, passTotals } from '../lib/extraction-probe.js';
import type { Histogram } from '../lib/histogram.js';
import type { DigestEntry } from '../worker.js';

const NAME = 'bench-three-days';

export function longMeeting(id: string, words: number): Scenario {
  return {
    id,
    title: `${id === 's7a' ? '7a' : '7b'}. A meeting of ${words.toLocaleString('en')} words: 5 notetakers typing 2 edits/s, 15 following`,
    run: (ctx) => runLongMeeting(ctx, words),
  };
}

async function runLongMeeting(ctx: RunContext, words: number): Promise<Metric[]> {
  const measureMs = ctx.options.quick ? 4_000 : 12_000;
  const items = ctx.options.quick ? 4 : 12;
  const notes = meetingNotes(words);
  return withRig(ctx, async (rig) => {
    const { server, generator } = rig;
    const meetings = await openDocuments(rig, ctx.kind, [NAME], { days: 3, day: 2 });
    const access = meetings.docs.get(NAME)!;
    const { clients, typers, sizes } = layout([{ name: NAME, typers: 5, fullFollowers: 0, lightFollowers: 15 }], meetings);
    await generator.connect(clients);
    const holder = generator.workerOf(typers[0]!);
    await holder.call('seed', { id: typers[0]!, update: Buffer.from(notes.update).toString('base64') });
    const { hash } = (await holder.call<DigestEntry[]>('digest')).find((d) => d.id === typers[0])!;
    const deadline = now() + 120_000;
    while ((await generator.probe(access.doc, 60_000, 1)).hash !== hash) {
      if (now() > deadline) throw new ConvergenceError('the meeting’s notes never reached the server');
      await sleep(200);
    }
    if (ctx.kind === 'quorum') {
      // The first full read is done once every action of the notes is listed.
      const count = async (): Promise<number> => (JSON.parse((await listActions(meetings.base, access.meetingId!, access.notetaker!)) || '{"items":[]}') as { items: unknown[] }).items.length;
      while ((await count()) < notes.actions) {
        if (now() > deadline) throw new Error(`only ${await count()} of ${notes.actions} actions extracted`);
        await sleep(200);
      }
    }

    const start = now() + 100;
    const measureFrom = start + 2_000;
    await generator.all('window', { countFrom: start, from: measureFrom, to: measureFrom + 3_600_000 });
    await generator.type(typers, 2, now() + 3_600_000);
    await sleep(measureFrom - now());
    const watch = new ServerWatch(server, generator);
    const passesBefore = ctx.kind === 'quorum' ? await passTotals(server.target.port) : null;
    let lag: Histogram | null;
    try {
      [lag] = await Promise.all([ctx.kind === 'quorum' ? measureLag(server.target.port, access, items) : Promise.resolve(null), sleep(measureMs)]);
    } finally {
      await generator.all('stopTyping');
    }
    const usage = watch.finish();
    const passes = passesBefore ? await passTotals(server.target.port) : null;
    const sent = await generator.sentByDoc();
    await drain(generator, expectedDeliveries(sent, sizes), 30_000);
    const { histogram } = await generator.stats();
    await verifyConvergence(generator, [access.doc], sent);
    const passCount = passes && passesBefore ? passes.count - passesBefore.count : 0;
    return [
      ...latencyMetrics('latency', histogram),
      ...(lag
        ? latencyMetrics('lag', lag).map((m) => ({ ...m, label: `extraction lag ${m.label}` }))
        : [{ key: 'lag.p50', label: 'extraction lag p50', unit: 'ms', value: null, note: 'n/a (no extraction)' }]),
      {
        key: 'passMean',
        label: 'extraction pass, mean server time (one keystroke’s pass)',
        unit: 'ms',
        value: passCount > 0 ? ((passes!.seconds - passesBefore!.seconds) / passCount) * 1000 : null,
        ...(ctx.kind === 'quorum' ? {} : { note: 'n/a' }),
      },
      { key: 'serverCpu', label: 'server CPU', unit: '%', value: usage.cpu },
      { key: 'generatorCpu', label: 'generator CPU', unit: '%', value: usage.generatorCpu },
    ];
  });
}

export const shortMeeting = longMeeting('s7a', 300);
export const threeDayMeeting = longMeeting('s7b', 30_000);
