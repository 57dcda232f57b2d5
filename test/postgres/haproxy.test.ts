/**
 * Three collaboration servers on one PostgreSQL behind HAProxy, configured by
 * scripts/deploy/haproxy-config.ts: every connection to a document reaches one server (its
 * owner), and when that server is killed with SIGKILL while notetakers type, HAProxy's health
 * checks take it out, its documents move to the others on the consistent-hash ring, every client
 * reconnects through HAProxy, and everything any client had received is in the documents. When
 * the server comes back, a new client of one of its documents brings the document back to it
 * (the interim owner hands it over). Needs Debian's haproxy (CI installs it).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as Y from 'yjs';
import { haproxyConfig } from '../../scripts/deploy/haproxy-config.js';
import { PostgresDocumentStore } from '../../server/persistence/postgres-document-store.js';
import { connectProvider, type ProviderClient } from '../helpers/clients.js';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.js';
import { waitFor } from '../helpers/wait.js';
import { freePort } from '../helpers/processes.js';
import { startNodeProcess, type NodeProcess } from '../../scripts/cluster/node-process.js';
import { holdsAllOf, readStored } from './support/replicas.js';

let db: TestDatabase;
let dir: string;
let haproxy: ChildProcess | null = null;
const nodes: NodeProcess[] = [];
const clients: ProviderClient[] = [];

beforeAll(async () => {
  if (!['/usr/sbin/haproxy', '/usr/bin/haproxy', '/usr/local/sbin/haproxy'].some((path) => existsSync(path))) {
    throw new Error('HAProxy is not installed (Debian: apt-get install haproxy); .ci/run installs it');
  }
  db = await createTestDatabase();
  dir = mkdtempSync(join(tmpdir(), 'quorum-haproxy-'));
});
afterAll(async () => {
  for (const client of clients.splice(0)) client.destroy();
  haproxy?.kill('SIGKILL');
  for (const node of nodes.splice(0)) await node.kill();
  await db?.drop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const text = (c: ProviderClient): string => c.doc.getText('notes').toString();

describe('several servers behind HAProxy', () => {
  it('routes each document to one owner, moves a killed server’s documents with nothing any client received lost, and gives them back when it returns', async () => {
    // The first server migrates the schema; the others find it done.
    // Behind one HAProxy routing is consistent: a document asked for elsewhere is handed over at once.
    const env = { HANDOFF_AFTER_MS: '0' };
    nodes.push(await startNodeProcess(db.url, env));
    nodes.push(...(await Promise.all([startNodeProcess(db.url, env), startNodeProcess(db.url, env)])));
    const port = await freePort();
    const config = join(dir, 'haproxy.cfg');
    writeFileSync(
      config,
      haproxyConfig({
        listen: `127.0.0.1:${port}`,
        servers: nodes.map((node, i) => ({ name: `q${i + 1}`, address: `127.0.0.1:${node.port}` })),
        checkIntervalMs: 200,
        maxConnections: 1_000,
        statsSocket: join(dir, 'haproxy.sock'),
      }),
    );
    haproxy = spawn('haproxy', ['-db', '-f', config], { stdio: ['ignore', 'ignore', 'inherit'] });
    const proxy = haproxy;
    await waitFor(
      async () => {
        if (proxy.exitCode !== null) throw new Error(`haproxy exited (${proxy.exitCode})`);
        return (await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => null))?.ok;
      },
      { message: 'HAProxy did not answer' },
    );
    const viaHaproxy = `ws://127.0.0.1:${port}/collab`;

    const docs = Array.from({ length: 10 }, (_, i) => `meeting-${i}`);
    const typists = docs.flatMap((doc) => [0, 1].map(() => connectProvider(viaHaproxy, doc)));
    const followers = docs.flatMap((doc) => [0, 1, 2].map(() => connectProvider(viaHaproxy, doc)));
    clients.push(...typists, ...followers);
    await Promise.all(clients.map((c) => c.synced()));

    // One owner each, and the ring spreads them.
    const placement = async (alive: NodeProcess[]) => {
      const owners = new Map<string, NodeProcess[]>();
      for (const node of alive) for (const doc of await node.documents()) owners.set(doc, [...(owners.get(doc) ?? []), node]);
      return owners;
    };
    const before = await placement(nodes);
    for (const doc of docs) expect(before.get(doc)).toHaveLength(1);
    const load = nodes.map((node) => docs.filter((doc) => before.get(doc)![0] === node).length);
    expect(load.filter((n) => n > 0).length).toBeGreaterThan(1);

    let typing = true;
    const typed = typists.map(async (c, i) => {
      for (let n = 0; typing; n++) {
        const word = `t${i}w${n} `;
        c.doc.getText('notes').insert(c.doc.getText('notes').length, word);
        await waitFor(() => !typing || followers.some((f) => f.provider.roomname === c.provider.roomname && text(f).includes(word)));
      }
    });
    await waitFor(() => followers.every((f) => text(f).length > 200));

    // The server that owns the most documents dies.
    const busiest = load.indexOf(Math.max(...load));
    const doomed = nodes[busiest]!;
    const moving = docs.filter((doc) => before.get(doc)![0] === doomed);
    await doomed.kill();
    nodes.splice(busiest, 1);
    // What each follower had received when it died.
    const received = followers.map((f) => ({ doc: f.provider.roomname, seen: Y.encodeStateAsUpdate(f.doc) }));
    typing = false;
    await Promise.all(typed);

    // Everyone reconnects through HAProxy (y-websocket retries on its own) and converges.
    for (const doc of docs) {
      const group = clients.filter((c) => c.provider.roomname === doc);
      await waitFor(() => group.every((c) => c.provider.synced && text(c) === text(group[0]!)), { message: `${doc} did not converge` });
    }
    const after = await placement(nodes);
    for (const doc of docs) expect(after.get(doc)).toHaveLength(1);
    for (const doc of docs.filter((doc) => !moving.includes(doc))) expect(after.get(doc)![0]).toBe(before.get(doc)![0]);

    const store = await PostgresDocumentStore.open({ url: db.url, poolSize: 2 });
    try {
      for (const { doc, seen } of received) {
        const seenDoc = new Y.Doc();
        Y.applyUpdate(seenDoc, seen);
        expect(holdsAllOf(readStored(await store.load(doc)), seenDoc)).toBe(true);
      }
    } finally {
      await store.close();
    }

    // The killed server comes back (on its address): HAProxy's ring sends its documents' new
    // clients to it again, and it asks for them; the interim owner hands each one over, its
    // clients come back through HAProxy, and the document has one owner again: the returned one.
    await waitFor(async () => (await serverStatus(join(dir, 'haproxy.sock'), `q${busiest + 1}`)) === 'DOWN');
    const returned = await startNodeProcess(db.url, { ...env, PORT: String(doomed.port) });
    nodes.push(returned);
    await waitFor(async () => (await serverStatus(join(dir, 'haproxy.sock'), `q${busiest + 1}`)) === 'UP', { message: 'HAProxy did not take the server back' });
    const doc = moving[0]!;
    const newcomer = connectProvider(viaHaproxy, doc);
    clients.push(newcomer);
    await newcomer.synced();
    const group = clients.filter((c) => c.provider.roomname === doc);
    await waitFor(async () => group.every((c) => c.provider.synced && text(c) === text(newcomer)) && (await placement(nodes)).get(doc)?.[0] === returned, {
      message: `${doc} did not come back to its server`,
    });
    expect((await placement(nodes)).get(doc)).toEqual([returned]);
    expect(text(newcomer)).toBe(text(group[0]!));
  });
});

/** A server's state (UP, DOWN, …) in HAProxy's collab backend, read from its stats socket. */
function serverStatus(socketPath: string, name: string): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const socket = createConnection(socketPath);
    let out = '';
    socket.on('data', (chunk) => (out += chunk));
    socket.on('error', reject);
    socket.on('end', () => {
      const [header, ...rows] = out.split('\n');
      const columns = (header ?? '').replace(/^# /, '').split(',');
      const row = rows.map((line) => line.split(',')).find((fields) => fields[0] === 'collab' && fields[1] === name);
      resolve(row ? (row[columns.indexOf('status')] ?? null) : null);
    });
    socket.end('show stat\n');
  });
}
