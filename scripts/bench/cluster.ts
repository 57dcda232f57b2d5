/**
 * Several Quorum processes on PostgreSQL behind HAProxy, against one Quorum process on SQLite, in
 * one run: scenario 1a's fan-out (20 meetings × 10 notetakers × 2 Lexical-shaped edits/s)
 * through HAProxy to three processes sharing one PostgreSQL, then the same load on one process
 * with its SQLite file; then, on the cluster, the busiest process killed with SIGKILL while
 * everyone types, and the time until every client it served is synced again (through HAProxy, on
 * the documents' new owners), with every edit typed before, during and after in every copy.
 *
 * Both sides run the whole service as users run it (`npm start`'s server/main.ts): every
 * document a meeting's session, made through the API, the notes layer reading every edit.
 *
 *   npm run bench:cluster    # starts its own PostgreSQL (Debian's postgresql) and HAProxy
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { createTestDatabase } from '../../test/helpers/postgres.js';
import { startHaproxy, type HaproxyProcess } from '../cluster/haproxy-process.js';
import { ownersOf, startAppProcess, type AppProcess } from '../cluster/app-process.js';
import { freePort } from '../../test/helpers/processes.js';
import { documentsFor } from './lib/meetings.js';
import { randomBytes } from 'node:crypto';
import { Generator } from './lib/generator.js';
import { drain, expectedDeliveries, latencyMetrics, layout, sleep, verifyConvergence, type Metric, type Options } from './lib/harness.js';
import { now } from './lib/markers.js';
import { CpuWindow, loadAverage } from './lib/proc.js';
import { fanoutDocs } from './scenarios/fanout.js';

const DOCS = Array.from({ length: 20 }, (_, i) => ({ name: `bench-fanout-${i}`, typers: 10, fullFollowers: 0, lightFollowers: 0 }));
const RATE = 2;
const options: Options = { quick: false, reps: 1, workers: 2 };
const log = (message: string): void => console.error(message);

/** The PostgreSQL server's processes working for us: its backends and background workers. */
async function postgresPids(url: string): Promise<number[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE pid <> pg_backend_pid()');
    return rows.map((row) => row.pid);
  } finally {
    await client.end();
  }
}

async function cluster(): Promise<{ fanout: Metric[]; failover: Metric[] }> {
  const db = await createTestDatabase();
  const nodes: AppProcess[] = [];
  const env = { NODE_ENV: 'production' };
  let generator: Generator | null = null;
  let haproxy: HaproxyProcess | null = null;
  try {
    const linkKey = randomBytes(32).toString('base64');
    const ports = await Promise.all([0, 1, 2].map(() => freePort()));
    // The first alone: it makes the schema.
    nodes.push(await startAppProcess({ databaseUrl: db.url, linkKey, publicUrl: 'http://127.0.0.1', port: ports[0]!, env }));
    nodes.push(...(await Promise.all(ports.slice(1).map((port) => startAppProcess({ databaseUrl: db.url, linkKey, publicUrl: 'http://127.0.0.1', port, env })))));
    haproxy = await startHaproxy(ports, { maxConnections: 2_000 });

    // Meetings made through HAProxy, as the single process's are made on it.
    const meetings = await documentsFor('quorum', haproxy.port, DOCS.map((d) => d.name));
    generator = await Generator.start(options.workers, { kind: 'quorum', port: haproxy.port });
    // Fresh clients (the convergence probes) join with the edit link, as the typists do.
    await generator.all('access', { tokens: Object.fromEntries([...meetings.docs.values()].flatMap((a) => (a.notetaker ? [[a.doc, a.notetaker]] : []))) });
    const { clients, typers, sizes } = layout(DOCS, meetings);
    const connectStart = now();
    await generator.connect(clients);
    log(`  cluster: ${clients.length} connections through HAProxy in ${((now() - connectStart) / 1000).toFixed(1)} s`);
    await sleep(500);

    // Fan-out, measured as scenario 1a measures it.
    const start = now() + 100;
    const measureFrom = start + 3_000;
    const until = measureFrom + 12_000;
    await generator.all('window', { countFrom: start, from: measureFrom, to: until });
    await generator.type(typers, RATE, until);
    await sleep(measureFrom - now());
    const pgPids = await postgresPids(db.url);
    const cpu = { nodes: new CpuWindow(nodes.map((n) => n.pid)), haproxy: new CpuWindow([haproxy.pid]), postgres: new CpuWindow(pgPids), generator: generator.cpu() };
    await sleep(until - now());
    const usage = { nodes: cpu.nodes.percent(), haproxy: cpu.haproxy.percent(), postgres: cpu.postgres.percent(), generator: cpu.generator.percent() };
    await generator.all('stopTyping');
    let sent = await generator.sentByDoc();
    const delivered = await drain(generator, expectedDeliveries(sent, sizes), 30_000);
    const { histogram } = await generator.stats();
    await verifyConvergence(generator, [...sizes.keys()], sent);
    const fanout: Metric[] = [
      ...latencyMetrics('latency', histogram),
      { key: 'deliveredPerSec', label: 'edits delivered/s', unit: '/s', value: delivered / ((until - start) / 1000), higherIsBetter: true },
      { key: 'serverCpu', label: 'server CPU (all Quorum processes, HAProxy, PostgreSQL)', unit: '%', value: usage.nodes + usage.haproxy + usage.postgres },
      { key: 'quorumCpu', label: '… of which the Quorum processes', unit: '%', value: usage.nodes },
      { key: 'haproxyCpu', label: '… HAProxy', unit: '%', value: usage.haproxy },
      { key: 'postgresCpu', label: '… PostgreSQL', unit: '%', value: usage.postgres },
      { key: 'generatorCpu', label: 'generator CPU', unit: '%', value: usage.generator },
    ];

    // Failover: everyone types again; the process holding the most documents is killed.
    const typeUntil = now() + 12_000;
    await generator.type(typers, RATE, typeUntil);
    await sleep(3_000);
    const owners = await ownersOf(db.url, [...sizes.keys()]);
    const held = nodes.map((node) => [...owners].filter(([, pid]) => pid === node.pid).map(([doc]) => doc));
    const busiest = held.indexOf(held.reduce((a, b) => (b.length > a.length ? b : a)));
    const killAt = now();
    await nodes[busiest]!.kill();
    const results = await generator.all<{ lost: number; syncedMs: number }>('failover', { at: killAt, timeoutMs: 60_000 });
    await sleep(typeUntil - now());
    await generator.all('stopTyping');
    sent = await generator.sentByDoc();
    await verifyConvergence(generator, [...sizes.keys()], sent, 60_000);
    const lost = results.reduce((n, r) => n + r.lost, 0);
    log(`  cluster: killed q${busiest + 1} (${held[busiest]!.length} of ${DOCS.length} documents); ${lost} clients reconnected`);
    const failover: Metric[] = [
      { key: 'moved', label: 'documents on the killed process', unit: '', value: held[busiest]!.length },
      { key: 'lost', label: 'clients that lost their server', unit: '', value: lost },
      { key: 'resynced', label: 'SIGKILL → all those clients synced again (through HAProxy)', unit: 'ms', value: Math.max(...results.map((r) => r.syncedMs)) },
    ];
    return { fanout, failover };
  } finally {
    await generator?.close();
    haproxy?.stop();
    for (const node of nodes) await node.kill();
    await db.drop();
  }
}

const loadBefore = loadAverage();
log(`quorum cluster bench; load ${loadBefore}`);
log('1a on one Quorum process with SQLite');
const single = await fanoutDocs.run({ kind: 'quorum', options, log: (m) => log(`  single: ${m}`) });
const loadMid = loadAverage();
log('1a through HAProxy on three Quorum processes with PostgreSQL');
const many = await cluster();
const loadAfter = loadAverage();

const value = (metrics: Metric[], key: string): number | null => metrics.find((m) => m.key === key)?.value ?? null;
const fmt = (v: number | null, unit: string): string => (v === null ? '–' : `${v >= 100 ? v.toFixed(0) : v.toFixed(v >= 10 ? 1 : 2)}${unit === '%' ? ' %' : unit ? ` ${unit}` : ''}`);
const lines = [
  `# Quorum cluster bench, ${new Date().toISOString()}`,
  '',
  `Load average before: ${loadBefore}; between: ${loadMid}; after: ${loadAfter}.`,
  '',
  '| 1a. Fan-out: 20 meetings × 10 notetakers, all typing 2 edits/s (the whole service) | 3 processes, PostgreSQL, HAProxy | 1 process, SQLite | ratio |',
  '|---|---:|---:|---:|',
  ...many.fanout.map((metric) => {
    const other = value(single, metric.key === 'quorumCpu' || metric.key === 'haproxyCpu' || metric.key === 'postgresCpu' ? '' : metric.key);
    const ratio = metric.value !== null && other ? `${(metric.value / other).toFixed(2)}×` : '';
    return `| ${metric.label} | ${fmt(metric.value, metric.unit)} | ${fmt(other, metric.unit)} | ${ratio} |`;
  }),
  '',
  '| Failover (same clients, typing on) | 3 processes, PostgreSQL, HAProxy |',
  '|---|---:|',
  ...many.failover.map((metric) => `| ${metric.label} | ${fmt(metric.value, metric.unit)} |`),
  '',
];
const out = join('bench-results');
mkdirSync(out, { recursive: true });
const file = join(out, `cluster-${new Date().toISOString().replace(/[:.]/g, '-')}.md`);
writeFileSync(file, lines.join('\n'));
console.log(lines.join('\n'));
log(`Written to ${file}`);
