/**
 * `npm run bench [-- --quick] [--reps N] [--only s1a,s2b] [--servers quorum,reference] [--profile] [--warmup S] [--same-clients]`
 *
 * Runs every scenario against Quorum, the reference y-websocket server and Hocuspocus, each run
 * on a fresh server process, interleaved (A, B, C, A, B, C …), and reports medians with ratios.
 * Writes bench-results/<timestamp>.json and .md.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { loadAverage } from './lib/proc.js';
import { ConvergenceError, type Options, type Scenario } from './lib/harness.js';
import { markdownTable, rows, type ScenarioResult } from './lib/report.js';
import { SERVER_KINDS, type ServerKind } from './lib/targets.js';
import { bigMeeting, fanoutDocs, thousand } from './scenarios/fanout.js';
import { maxConnections } from './scenarios/max-connections.js';
import { memoryPerDocument } from './scenarios/memory.js';
import { coldJoin } from './scenarios/cold-join.js';
import { reconnectStorm } from './scenarios/reconnect-storm.js';
import { extractionLag } from './scenarios/extraction.js';
import { shortMeeting, threeDayMeeting } from './scenarios/long-meeting.js';
import { checkShape } from './lib/notes-shape.js';

const SCENARIOS: Scenario[] = [fanoutDocs, bigMeeting, thousand, maxConnections, memoryPerDocument, coldJoin, reconnectStorm, extractionLag, shortMeeting, threeDayMeeting];

function parseArgs(argv: string[]): { options: Options; only: string[] | null; servers: ServerKind[] } {
  const value = (name: string): string | undefined => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const quick = argv.includes('--quick');
  const reps = Number(value('--reps') ?? (quick ? 1 : 3));
  const only = value('--only')?.split(',') ?? null;
  const servers = (value('--servers')?.split(',') as ServerKind[] | undefined) ?? [...SERVER_KINDS];
  const profileDir = argv.includes('--profile') ? join(process.cwd(), 'bench-results', 'profiles') : undefined;
  if (profileDir) mkdirSync(profileDir, { recursive: true });
  const warmup = value('--warmup');
  const warmupMs = warmup === undefined ? undefined : Number(warmup) * 1000;
  if (warmupMs !== undefined && !(warmupMs >= 0)) throw new Error(`--warmup takes seconds, not ${warmup}`);
  const sameClients = argv.includes('--same-clients');
  return { options: { quick, reps, workers: 2, profileDir, sameClients, ...(warmupMs !== undefined ? { warmupMs } : {}) }, only, servers };
}

/** The warm-up and the clients, when not the default (the fan-out scenarios' figures depend on them). */
function runNote(options: Options): string {
  const warmup = options.warmupMs === undefined ? '' : `; fan-out measured after ${options.warmupMs / 1000} s of typing`;
  return `${warmup}${options.sameClients ? "; every y-websocket server's clients send their own presence only, as Quorum's page does" : ''}`;
}

async function main(): Promise<void> {
  const { options, only, servers } = parseArgs(process.argv.slice(2));
  // Every edit the generator makes must be what the page's editor would write.
  checkShape();
  const startedAt = new Date();
  const loadBefore = loadAverage();
  const log = (message: string): void => {
    process.stderr.write(`${message}\n`);
  };
  log(`quorum bench: ${options.quick ? 'quick' : 'full'} run, ${options.reps} repetition(s), servers ${servers.join(', ')}${runNote(options)}; load ${loadBefore}`);

  const results: ScenarioResult[] = [];
  let failed = false;
  for (const scenario of SCENARIOS) {
    if (only && !only.includes(scenario.id)) continue;
    const result: ScenarioResult = { id: scenario.id, title: scenario.title, runs: {}, failures: {} };
    results.push(result);
    const reps = scenario.reps?.(options) ?? options.reps;
    log(`\n${scenario.title}`);
    for (let rep = 1; rep <= reps; rep++) {
      for (const kind of servers) {
        const began = performance.now();
        try {
          const metrics = await scenario.run({ kind, options, log: (m) => log(`  ${kind} #${rep}: ${m}`) });
          // Other work on the machine moves latencies a lot; keep what it was next to each run.
          if (metrics.length > 0) metrics.push({ key: 'load1', label: 'machine load (1-min average) after the run', unit: '', value: Number(loadAverage().split(' ')[0]) });
          (result.runs[kind] ??= []).push(metrics);
          const brief = metrics
            .filter((m) => m.value != null)
            .slice(0, 6)
            .map((m) => `${m.label} ${m.value!.toFixed(1)}${m.unit}`)
            .join(', ');
          log(`  ${kind} #${rep}: ${brief} (${((performance.now() - began) / 1000).toFixed(0)} s; load ${loadAverage().split(' ')[0]})`);
        } catch (error) {
          failed = true;
          const message = error instanceof ConvergenceError ? `CONVERGENCE FAILURE: ${error.message}` : (error as Error).stack ?? String(error);
          (result.failures[kind] ??= []).push(message.split('\n')[0]!);
          log(`  ${kind} #${rep}: FAILED — ${message}`);
        }
      }
    }
    if (result.runs.quorum?.every((r) => r.length === 0) && scenario.id === extractionLag.id) {
      result.skipped = 'skipped: extraction not available';
    }
  }

  const loadAfter = loadAverage();
  const table = markdownTable(results);
  const stamp = startedAt.toISOString().replace(/[:.]/g, '-');
  const dir = join(process.cwd(), 'bench-results');
  mkdirSync(dir, { recursive: true });
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
  const header = [
    `# Quorum benchmark, ${startedAt.toISOString()}`,
    '',
    `${options.quick ? 'Quick smoke run' : 'Full run'}: ${options.reps} repetition(s) per server, interleaved; medians${runNote(options)}.`,
    `Machine: ${machine}. Load average before: ${loadBefore}; after: ${loadAfter}.`,
    '',
  ].join('\n');
  writeFileSync(join(dir, `${stamp}.md`), `${header}\n${table}\n`);
  writeFileSync(
    join(dir, `${stamp}.json`),
    JSON.stringify({ startedAt, options, machine, loadBefore, loadAfter, results, rows: results.flatMap(rows) }, null, 2),
  );
  process.stdout.write(`\n${header}\n${table}\n\nWritten to bench-results/${stamp}.md and .json\n`);
  if (failed) {
    process.stderr.write('\nSOME RUNS FAILED (see ⚠ rows above)\n');
    process.exitCode = 1;
  }
}

await main();
