/** What every scenario shares: options, a server + generator per run, delivery and convergence checks. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Generator } from './generator.js';
import { now } from './markers.js';
import { RssSampler, CpuWindow } from './proc.js';
import { startServer, type ServerProcess } from './server-process.js';
import { isQuorum, type ServerKind, type Target } from './targets.js';
import { documentsFor, type Meetings } from './meetings.js';
import type { ClientSpec } from '../worker.js';

export interface Options {
  quick: boolean;
  reps: number;
  workers: number;
  /** Directory for Quorum's `--cpu-prof` output, when profiling. */
  profileDir?: string;
  /** Every y-websocket server's clients handle presence as Quorum's page does (`--same-clients`; Target.pagePresence). */
  sameClients?: boolean;
  /**
   * How long the fan-out scenarios type before their measured window (ms; `--warmup`). The
   * default, a few seconds, measures a server just started: its compiler threads are still
   * optimising the code the load runs (RESULTS.md, "Runs of 2026-12-05 (19:14–20:25 UTC)").
   */
  warmupMs?: number;
}

/** One figure of a scenario run. Lower is better unless `higherIsBetter`. */
export interface Metric {
  key: string;
  label: string;
  unit: string;
  value: number | null;
  higherIsBetter?: boolean;
  /** Shown instead of a number (e.g. "n/a: in memory only"). */
  note?: string;
}

export interface RunContext {
  kind: ServerKind;
  options: Options;
  log(message: string): void;
}

export interface Scenario {
  id: string;
  title: string;
  /** Repetitions; defaults to options.reps. */
  reps?(options: Options): number;
  run(ctx: RunContext): Promise<Metric[]>;
}

export class ConvergenceError extends Error {}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `quorum-bench-${prefix}-`));
}

export interface Rig {
  server: ServerProcess;
  generator: Generator;
  dataDir: string;
  /**
   * Stops the server (gracefully, or with SIGKILL: `crash`) and starts it again on the same data;
   * `beforeStart` runs in between. Clients must be closed first.
   */
  restart(options?: { crash?: boolean; beforeStart?: () => void }): Promise<void>;
}

/** A fresh server (own data directory) and generator for one run; always torn down. */
export async function withRig<T>(ctx: RunContext, work: (rig: Rig) => Promise<T>, dataDir = tempDir(ctx.kind)): Promise<T> {
  const start = (): Promise<ServerProcess> =>
    startServer(ctx.kind, { dataDir, profileDir: isQuorum(ctx.kind) ? ctx.options.profileDir : undefined });
  const clientTarget = (target: Target): Target => (ctx.options.sameClients ? { ...target, pagePresence: true } : target);
  let generator: Generator | null = null;
  const rig = {
    server: await start(),
    dataDir,
    async restart({ crash = false, beforeStart }: { crash?: boolean; beforeStart?: () => void } = {}) {
      await (crash ? rig.server.kill() : rig.server.stop());
      beforeStart?.();
      rig.server = await start();
      await rig.generator.all('init', { target: clientTarget(rig.server.target) });
    },
  } as Rig;
  let result: T;
  try {
    generator = await Generator.start(ctx.options.workers, clientTarget(rig.server.target));
    rig.generator = generator;
    result = await work(rig);
  } finally {
    await generator?.close();
    await rig.server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  // Read once the server has stopped: over the (last) server process's whole life.
  const delay = rig.server.loopDelay;
  if (Array.isArray(result) && result.length > 0 && delay) {
    result.push(
      { key: 'loopDelayP99', label: 'server event-loop delay p99 (whole run)', unit: 'ms', value: delay.p99 },
      { key: 'loopDelayMax', label: 'server event-loop delay max (whole run)', unit: 'ms', value: delay.max },
    );
  }
  return result;
}

export interface DocPlan {
  name: string;
  typers: number;
  fullFollowers: number;
  lightFollowers: number;
}

export interface Layout {
  clients: ClientSpec[];
  typers: number[];
  /** Connections per document. */
  sizes: Map<string, number>;
}

/**
 * The documents named in a scenario, as the server under test gives them to users (a meeting's
 * session on Quorum: see meetings.ts); the generator learns their tokens for its fresh clients.
 */
export async function openDocuments(rig: Rig, kind: ServerKind, names: string[], options?: { days?: number; day?: number }): Promise<Meetings> {
  const meetings = await documentsFor(kind, rig.server.target.port, names, options);
  const tokens = Object.fromEntries([...meetings.docs.values()].flatMap((a) => (a.notetaker ? [[a.doc, a.notetaker]] : [])));
  await rig.generator.all('access', { tokens });
  return meetings;
}

/**
 * Numbers clients from `firstId` so load spreads over workers by id. With `meetings`, clients join
 * each plan's document as a user would: typers with the edit link, followers with the view link,
 * and the first full client of a document of no meeting writes the agenda the server seeds.
 */
export function layout(plans: DocPlan[], meetings?: Meetings, firstId = 0): Layout {
  const clients: ClientSpec[] = [];
  const typers: number[] = [];
  const sizes = new Map<string, number>();
  let id = firstId;
  for (const plan of plans) {
    const access = meetings?.docs.get(plan.name) ?? { doc: plan.name };
    const doc = access.doc;
    const first = clients.length;
    const add = (kind: 'full' | 'light', token: string | undefined): void => {
      clients.push({ id: id++, doc, kind, ...(token ? { token } : {}) });
    };
    for (let i = 0; i < plan.typers; i++) {
      typers.push(id);
      add('full', access.notetaker);
    }
    for (let i = 0; i < plan.fullFollowers; i++) add('full', access.follower);
    for (let i = 0; i < plan.lightFollowers; i++) add('light', access.follower);
    const seeder = clients.slice(first).find((c) => c.kind === 'full');
    if (meetings && !access.notetaker && seeder) seeder.seed = true;
    sizes.set(doc, (sizes.get(doc) ?? 0) + plan.typers + plan.fullFollowers + plan.lightFollowers);
  }
  return { clients, typers, sizes };
}

/** Deliveries owed for what was typed: every other connection of the document gets each edit. */
export function expectedDeliveries(sent: Map<string, number>, sizes: Map<string, number>): number {
  let total = 0;
  for (const [doc, n] of sent) total += n * ((sizes.get(doc) ?? 1) - 1);
  return total;
}

/** Waits until everything typed was delivered (or the timeout), returning the final count. */
export async function drain(generator: Generator, expected: number, timeoutMs: number): Promise<number> {
  const deadline = now() + timeoutMs;
  for (;;) {
    const { delivered } = await generator.stats();
    if (delivered >= expected || now() > deadline) return delivered;
    await sleep(100);
  }
}

/**
 * All full clients of each document hold identical text, a fresh client sees that same text,
 * and every light follower received every edit typed into its document. Throws otherwise.
 */
export async function verifyConvergence(generator: Generator, docs: string[], sent: Map<string, number>, timeoutMs = 20_000): Promise<void> {
  const deadline = now() + timeoutMs;
  for (;;) {
    const problems = await convergenceProblems(generator, docs, sent);
    if (problems.length === 0) return;
    if (now() > deadline) {
      throw new ConvergenceError(`did not converge: ${problems.slice(0, 5).join('; ')}${problems.length > 5 ? ` (+${problems.length - 5} more)` : ''}`);
    }
    await sleep(250);
  }
}

async function convergenceProblems(generator: Generator, docs: string[], sent: Map<string, number>): Promise<string[]> {
  const problems: string[] = [];
  const digests = await generator.digest();
  const byDoc = new Map<string, typeof digests>();
  for (const entry of digests) byDoc.set(entry.doc, [...(byDoc.get(entry.doc) ?? []), entry]);
  let probeWorker = 0;
  await Promise.all(
    docs.map(async (doc) => {
      const entries = byDoc.get(doc) ?? [];
      const fulls = entries.filter((e) => e.kind === 'full');
      const hashes = new Set(fulls.map((e) => e.hash));
      const fresh = await generator.probe(doc, 60_000, probeWorker++);
      hashes.add(fresh.hash);
      if (hashes.size > 1) problems.push(`${doc}: ${hashes.size} different texts among ${fulls.length} clients + a fresh client`);
      const owed = sent.get(doc) ?? 0;
      const short = entries.filter((e) => e.kind === 'light' && e.received < owed);
      if (short.length > 0) problems.push(`${doc}: ${short.length} light followers missed edits (${owed} typed)`);
    }),
  );
  return problems;
}

/** Server CPU and memory over a measurement window. */
export class ServerWatch {
  private readonly cpu: CpuWindow;
  private readonly mainThreadCpu: CpuWindow;
  private readonly rss: RssSampler;
  private readonly generatorCpu: CpuWindow;

  private readonly started = now();

  constructor(server: ServerProcess, generator: Generator) {
    this.cpu = new CpuWindow([server.pid]);
    this.mainThreadCpu = new CpuWindow([server.pid], { mainThread: true });
    this.rss = new RssSampler(server.pid);
    this.generatorCpu = generator.cpu();
  }

  finish(): { cpu: number; mainThreadCpu: number; peakRss: number; generatorCpu: number; seconds: number } {
    return { cpu: this.cpu.percent(), mainThreadCpu: this.mainThreadCpu.percent(), generatorCpu: this.generatorCpu.percent(), peakRss: this.rss.stop(), seconds: (now() - this.started) / 1000 };
  }
}

export const MB = 1024 * 1024;

export function latencyMetrics(prefix: string, histogram: { percentile(p: number): number; max: number; n: number }): Metric[] {
  const pick = (p: number): number | null => (histogram.n > 0 ? histogram.percentile(p) : null);
  return [
    { key: `${prefix}.p50`, label: 'p50', unit: 'ms', value: pick(50) },
    { key: `${prefix}.p95`, label: 'p95', unit: 'ms', value: pick(95) },
    { key: `${prefix}.p99`, label: 'p99', unit: 'ms', value: pick(99) },
    { key: `${prefix}.max`, label: 'max', unit: 'ms', value: histogram.n > 0 ? histogram.max : null },
  ];
}
