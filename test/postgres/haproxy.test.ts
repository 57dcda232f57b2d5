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
import { existsSync } from 'node:fs';
import * as Y from 'yjs';
import { startHaproxy, type HaproxyProcess } from '../../scripts/cluster/haproxy-process.js';
import { PostgresDocumentStore } from '../../server/persistence/postgres-document-store.js';
import { connectProvider, type ProviderClient } from '../helpers/clients.js';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.js';
import { waitFor } from '../helpers/wait.js';
import { startNodeProcess, startNodeProcesses, type NodeProcess } from '../../scripts/cluster/node-process.js';
import { holdsAllOf, readStored } from './support/replicas.js';

let db: TestDatabase;
let haproxy: HaproxyProcess | null = null;
const nodes: NodeProcess[] = [];
const clients: ProviderClient[] = [];

beforeAll(async () => {
  if (!['/usr/sbin/haproxy', '/usr/bin/haproxy', '/usr/local/sbin/haproxy'].some((path) => existsSync(path))) {
    throw new Error('HAProxy is not installed (Debian: apt-get install haproxy); .ci/run installs it');
  }
  db = await createTestDatabase();
});
afterAll(async () => {
  for (const client of clients.splice(0)) client.destroy();
  haproxy?.stop();
  for (const node of nodes.splice(0)) await node.kill();
  await db?.drop();
});

const text = (c: ProviderClient): string => c.doc.getText('notes').toString();

describe('several servers behind HAProxy', () => {
  it('routes each document to one owner, moves a killed server’s documents with nothing any client received lost, and gives them back when it returns', async () => {
    // Behind one HAProxy routing is consistent: a document asked for elsewhere is handed over at once.
    const env = { HANDOFF_AFTER_MS: '0' };
    nodes.push(...(await startNodeProcesses(3, db.url, env)));
    haproxy = await startHaproxy(
      nodes.map((node) => node.port),
      { checkIntervalMs: 200, maxConnections: 1_000 },
    );
    const viaHaproxy = haproxy.collabUrl;

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
    await waitFor(async () => (await haproxy!.serverStatus(`q${busiest + 1}`)) === 'DOWN');
    const returned = await startNodeProcess(db.url, { ...env, PORT: String(doomed.port) });
    nodes.push(returned);
    await waitFor(async () => (await haproxy!.serverStatus(`q${busiest + 1}`)) === 'UP', { message: 'HAProxy did not take the server back' });
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
