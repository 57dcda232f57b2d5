/**
 * Scenario 4: cold join of a long meeting. A session document of 100,000 small Lexical-shaped
 * edits is sent to the server; new clients then join and we time until they are synced: with the
 * document in memory (another client keeps it open), after a graceful restart (Quorum opens the
 * meetings open at the stop before it listens: server/collab/warm-restart.ts), after a crash
 * (SIGKILL once the running server has written the open meeting down, as it does every
 * REMEMBER_OPEN_EVERY_MS), and with nothing written down (the meeting loads from disk as the
 * client asks: a meeting nobody had open). Also: what a client that holds all but the last few
 * edits receives when it reconnects, and (Quorum) what the server stores for it.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { longDocument } from '../lib/long-doc.js';
import { now } from '../lib/markers.js';
import { ConvergenceError, layout, openDocuments, sleep, withRig, type Metric, type RunContext, type Scenario } from '../lib/harness.js';
import { median } from '../lib/report.js';
import { cpuSeconds } from '../lib/proc.js';
import { isQuorum } from '../lib/targets.js';
import { serverMetrics } from '../lib/extraction-probe.js';
import type { DigestEntry } from '../worker.js';

const NAME = 'bench-long-meeting';
const LAST_EDITS = 5;
/** Quorum's list of the documents open (server/collab/warm-restart.ts), in its data directory. */
const OPEN_LIST = 'open-documents.json';

/** The three ways scenario 4 brings the server back before the first join. */
const RESTARTS = [
  { key: 'afterRestart', cpuKey: 'cpuCold', label: 'join after a restart (the meeting open at the stop)', when: 'after a restart' },
  { key: 'afterCrash', cpuKey: 'cpuCrash', label: 'join after a crash (the meeting open before it)', when: 'after a crash' },
  { key: 'fromDisk', cpuKey: 'cpuFromDisk', label: 'join of the meeting not in memory (loaded from disk as it is asked for)', when: 'from disk' },
] as const;

/** The bytes of updates a Quorum server has stored so far (its update log's appends). */
async function storedBytes(port: number): Promise<number> {
  const [bytes] = await serverMetrics(port, 'quorum_updates_stored_bytes_total');
  return bytes!;
}

export const coldJoin: Scenario = {
  id: 's4',
  title: '4. Cold join of a long meeting (session document of 100,000 edits)',
  run: runColdJoin,
};

async function runColdJoin(ctx: RunContext): Promise<Metric[]> {
  const edits = ctx.options.quick ? 20_000 : 100_000;
  const joins = ctx.options.quick ? 2 : 5;
  const long = longDocument(edits);
  return withRig(ctx, async (rig) => {
    const meetings = await openDocuments(rig, ctx.kind, [NAME]);
    const { clients, sizes } = layout([{ name: NAME, typers: 1, fullFollowers: 0, lightFollowers: 0 }], meetings);
    const doc = [...sizes.keys()][0]!;
    await rig.generator.connect(clients);
    const holder = rig.generator.workerOf(clients[0]!.id);
    await holder.call('seed', { id: clients[0]!.id, update: Buffer.from(long.update).toString('base64') });
    const held = async (): Promise<DigestEntry> => (await holder.call<DigestEntry[]>('digest')).find((d) => d.id === clients[0]!.id)!;
    const reached = async (what: string): Promise<string> => {
      const { hash } = await held();
      const deadline = now() + 60_000;
      while ((await rig.generator.probe(doc, 60_000, 1)).hash !== hash) {
        if (now() > deadline) throw new ConvergenceError(`${what} never reached the server`);
        await sleep(200);
      }
      return hash;
    };
    await reached('the long document');

    // A notetaker whose connection dropped before the last few edits comes back.
    const before = await holder.call<string>('stateOf', { id: clients[0]!.id });
    await holder.call('typeNow', { id: clients[0]!.id, count: LAST_EDITS });
    const latest = await reached('the last edits');
    const storedBefore = isQuorum(ctx.kind) ? await storedBytes(rig.server.target.port) : null;
    const rejoin = await rig.generator.workers[1 % rig.generator.workers.length]!.call<{ bytes: number; hash: string }>('rejoin', { doc, state: before, timeoutMs: 60_000 });
    if (rejoin.hash !== latest) throw new ConvergenceError('the reconnecting client did not receive the last edits');
    // Its answer to the server's step 1 holds its whole delete set, and nothing the server lacks.
    const storedForRejoin = storedBefore === null ? null : (await storedBytes(rig.server.target.port)) - storedBefore;

    const inMemory: number[] = [];
    // Wall time suffers from other load on the machine; the server's CPU time per join less so.
    const cpuBefore = cpuSeconds(rig.server.pid);
    for (let i = 0; i < joins; i++) {
      const probe = await rig.generator.probe(doc, 60_000, 1);
      if (probe.hash !== latest) throw new ConvergenceError(`in memory: a fresh client saw ${probe.length} characters, not what was written`);
      inMemory.push(probe.ms);
    }
    const cpuPerJoin = ((cpuSeconds(rig.server.pid) - cpuBefore) / joins) * 1000;
    const metrics: Metric[] = [
      { key: 'inMemory', label: 'join, document in memory', unit: 'ms', value: median(inMemory) },
      { key: 'cpuPerJoin', label: 'server CPU per in-memory join', unit: 'ms', value: cpuPerJoin },
      { key: 'updateBytes', label: 'document size (the edits’ state update)', unit: 'KB', value: long.update.byteLength / 1024 },
      { key: 'rejoinBytes', label: `bytes received by a client missing the last ${LAST_EDITS} edits, reconnecting`, unit: 'B', value: rejoin.bytes },
      {
        key: 'rejoinStored',
        label: 'bytes the server stored for that reconnect',
        unit: 'B',
        value: storedForRejoin,
        ...(storedForRejoin === null ? { note: 'n/a (not reported)' } : {}),
      },
    ];
    if (ctx.kind === 'reference') {
      for (const r of RESTARTS) metrics.push({ key: r.key, label: r.label, unit: 'ms', value: null, note: 'n/a (in memory)' });
      return metrics;
    }
    const list = join(rig.dataDir, OPEN_LIST);
    for (const r of RESTARTS) {
      await rig.generator.all('closeAll');
      await sleep(300);
      if (r.key === 'afterCrash' && isQuorum(ctx.kind)) {
        // The running server writes the open meetings down now and then; crash once it has.
        // (Hocuspocus keeps no such list: its every join after a stop loads from disk.)
        const deadline = now() + 30_000;
        while (!(existsSync(list) && readFileSync(list, 'utf8').includes(doc))) {
          if (now() > deadline) throw new Error('the server never wrote the open meeting down');
          await sleep(100);
        }
      }
      await rig.restart({ crash: r.key === 'afterCrash', ...(r.key === 'fromDisk' ? { beforeStart: () => rmSync(list, { force: true }) } : {}) });
      const cpuBeforeJoin = cpuSeconds(rig.server.pid);
      const first = await rig.generator.probe(doc, 60_000, 1);
      const cpu = (cpuSeconds(rig.server.pid) - cpuBeforeJoin) * 1000;
      if (first.hash !== latest) throw new ConvergenceError(`${r.when}: a fresh client saw ${first.length} characters, not what was written`);
      const second = await rig.generator.probe(doc, 60_000, 1);
      if (second.hash !== latest) throw new ConvergenceError(`${r.when}, second join: not what was written`);
      metrics.push({ key: r.key, label: r.label, unit: 'ms', value: first.ms });
      metrics.push({ key: r.cpuKey, label: 'server CPU for that join', unit: 'ms', value: cpu });
    }
    return metrics;
  });
}

