// GET /metrics: Prometheus text whose values follow what the server does as real clients connect
// and type into a meeting's notes; a bearer token when configured; nothing when turned off.
import { afterEach, describe, expect, it } from 'vitest';
import { Histogram, Registry } from 'prom-client';
import { CountedHistogram } from '../../server/counted-histogram.js';
import { connectProvider, type ProviderClient } from '../helpers/clients.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { waitFor } from '../helpers/wait.js';
import { api, createMeeting, linkToken, setupAdmin } from './support/api.js';

/** The value of one sample, e.g. `quorum_connections{role="follower"}`; 0 when absent. */
function sample(text: string, name: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line ? Number(line.slice(name.length + 1)) : 0;
}

async function scrape(server: TestServer, headers: Record<string, string> = {}): Promise<{ status: number; type: string; text: string }> {
  const response = await fetch(`${server.url}/metrics`, { headers });
  return { status: response.status, type: response.headers.get('content-type') ?? '', text: await response.text() };
}

describe('metrics', () => {
  let server: TestServer;
  const clients: ProviderClient[] = [];
  afterEach(async () => {
    for (const client of clients.splice(0)) client.destroy();
    await server.close();
  });

  it('count connections by role, loaded documents, stored and relayed updates, extraction lag and the database', async () => {
    server = await startServer();
    const admin = await setupAdmin(server);
    const meeting = await createMeeting(server, admin, { agenda: [{ date: '2030-01-07', blocks: [{ items: [{ topic: 'Plans' }] }] }] });
    const doc = meeting.sessions[0]!.doc;

    const before = await scrape(server);
    expect(before.status).toBe(200);
    expect(before.type).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(sample(before.text, 'quorum_documents_loaded')).toBe(0);
    expect(before.text).toContain('process_cpu_seconds_total');
    expect(before.text).toContain('# TYPE quorum_relay_latency_seconds histogram');

    const writer = connectProvider(server.collabUrl, doc, { params: { token: linkToken(meeting, 'notetaker') } });
    const follower = connectProvider(server.collabUrl, doc, { params: { token: linkToken(meeting, 'follower') } });
    clients.push(writer, follower);
    await Promise.all([writer.synced(), follower.synced()]);
    const joined = (await scrape(server)).text;
    expect(sample(joined, 'quorum_connections{role="notetaker"}')).toBe(1);
    expect(sample(joined, 'quorum_connections{role="follower"}')).toBe(1);
    expect(sample(joined, 'quorum_documents_loaded')).toBe(1);

    // Typing: stored, relayed to the follower, and indexed by the notes layer.
    for (let i = 0; i < 5; i++) writer.doc.getMap('m').set(`k${i}`, i);
    await waitFor(() => follower.doc.getMap('m').get('k4') === 4);
    const typed = await waitFor(async () => {
      const text = (await scrape(server)).text;
      return sample(text, 'quorum_extraction_lag_seconds_count') > sample(joined, 'quorum_extraction_lag_seconds_count') ? text : null;
    });
    expect(sample(typed, 'quorum_updates_stored_total')).toBeGreaterThanOrEqual(sample(joined, 'quorum_updates_stored_total') + 5);
    expect(sample(typed, 'quorum_updates_stored_bytes_total')).toBeGreaterThan(sample(joined, 'quorum_updates_stored_bytes_total'));
    expect(sample(typed, 'quorum_relay_latency_seconds_count')).toBeGreaterThanOrEqual(sample(joined, 'quorum_relay_latency_seconds_count') + 1);
    expect(sample(typed, 'quorum_update_log_entries')).toBeGreaterThanOrEqual(5);
    expect(sample(typed, 'quorum_database_bytes')).toBeGreaterThan(0);
    expect(sample(typed, 'quorum_wal_bytes')).toBeGreaterThan(0);
    expect(sample(typed, 'quorum_storage_failing')).toBe(0);

    // Leaving: the connections go, and the document unloads.
    writer.destroy();
    follower.destroy();
    await waitFor(async () => {
      const text = (await scrape(server)).text;
      return sample(text, 'quorum_connections{role="notetaker"}') === 0 && sample(text, 'quorum_documents_loaded') === 0;
    });
  });

  it('want the bearer token when METRICS_TOKEN is set', async () => {
    server = await startServer({ metricsToken: 'scrape-secret-123' });
    expect((await scrape(server)).status).toBe(401);
    expect((await scrape(server, { authorization: 'Bearer wrong-secret-123' })).status).toBe(401);
    const allowed = await scrape(server, { authorization: 'Bearer scrape-secret-123' });
    expect(allowed.status).toBe(200);
    expect(allowed.text).toContain('quorum_documents_loaded');
  });

  it('are not served when METRICS=false', async () => {
    server = await startServer({ metrics: false });
    const response = await api(server, 'GET', '/metrics');
    expect(response.status).toBe(404);
  });
});

describe('the counted histogram (the histograms observed on hot paths: the relay latency, the extraction lag and pass time)', () => {
  it('is exposed exactly as a prom-client Histogram given the same observations, bounds and resets included', async () => {
    const buckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];
    const ours = new Registry();
    const theirs = new Registry();
    const counted = new CountedHistogram({ name: 'x_seconds', help: 'What is timed', buckets, registers: [ours] });
    const reference = new Histogram({ name: 'x_seconds', help: 'What is timed', buckets, registers: [theirs] });
    expect(await ours.metrics()).toBe(await theirs.metrics());
    // Values on every bound (a bound is in its own bucket), between them, below and above them all.
    const values = [0, ...buckets, ...buckets.map((b) => b * 1.5), 3, 1e6, 1e-9];
    let seed = 7;
    for (let i = 0; i < 5_000; i++) {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      values.push((seed / 2 ** 31) ** 4 * 4);
    }
    for (const value of values) {
      counted.observe(value);
      reference.observe(value);
    }
    expect(await ours.metrics()).toBe(await theirs.metrics());
    // As JSON too, but for prom-client's empty exemplar on each bucket.
    const json = async (registry: Registry): Promise<unknown> => JSON.parse(JSON.stringify(await registry.getMetricsAsJSON(), (key, value: unknown) => (key === 'exemplar' ? undefined : value)));
    expect(await json(ours)).toEqual(await json(theirs));
    ours.resetMetrics();
    theirs.resetMetrics();
    counted.observe(0.002);
    reference.observe(0.002);
    expect(await ours.metrics()).toBe(await theirs.metrics());
    expect(() => counted.observe(Number.NaN)).toThrow(TypeError);
    expect(() => new CountedHistogram({ name: 'y_seconds', help: 'Out of order', buckets: [0.1, 0.1], registers: [] })).toThrow(/ascend/);
  });
});
