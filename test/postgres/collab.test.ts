/**
 * The collaboration core on PostgreSQL, with real y-websocket clients over real sockets: several
 * notetakers typing at one spot while the log compacts, an edit relayed only once committed (a
 * refused one comes back from its client, lost by nobody), one owner per document, and a server
 * killed with SIGKILL in the middle of typing whose documents another server takes over with
 * everything any client had received.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { closeCodes, connectProvider, type ProviderClient } from '../helpers/clients.js';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.js';
import { waitFor } from '../helpers/wait.js';
import { startCollabNode, type CollabNode } from '../../scripts/cluster/collab-node.js';
import { startNodeProcess, type NodeProcess } from '../../scripts/cluster/node-process.js';
import { holdsAllOf, readStored } from './support/replicas.js';
import { SERVER_ORIGIN } from '../../server/collab/room.js';

let db: TestDatabase;
const nodes: CollabNode[] = [];
const clients: ProviderClient[] = [];
const processes: NodeProcess[] = [];

beforeEach(async () => {
  db = await createTestDatabase();
});
afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy();
  for (const proc of processes.splice(0)) await proc.kill();
  for (const node of nodes.splice(0)) await node.close().catch(() => {});
  await db.drop();
});

async function node(limits: Parameters<typeof startCollabNode>[1] = {}): Promise<CollabNode> {
  const started = await startCollabNode(db.url, limits);
  nodes.push(started);
  return started;
}

function client(collabUrl: string, doc: string, options: { doc?: Y.Doc } = {}): ProviderClient {
  const made = connectProvider(collabUrl, doc, options);
  clients.push(made);
  return made;
}

const text = (c: ProviderClient): string => c.doc.getText('notes').toString();

describe('collaboration on PostgreSQL', () => {
  it('three notetakers typing at the same spot converge while the log compacts, and a new server reads what they saw', async () => {
    const first = await node({ compactThreshold: 7 });
    const typists = [0, 1, 2].map(() => client(first.collabUrl, 'standup'));
    const follower = client(first.collabUrl, 'standup');
    await Promise.all([...typists, follower].map((c) => c.synced()));

    for (let round = 0; round < 20; round++) {
      typists.forEach((c, i) => c.doc.getText('notes').insert(0, `${'abc'[i]}${round} `));
      // Each round waits for the server, so the rounds are concurrent within and commits batch.
      await waitFor(() => [...'abc'].every((letter) => text(follower).includes(`${letter}${round} `)));
    }
    const expected = text(typists[0]!);
    await waitFor(() => [...typists, follower].every((c) => text(c) === expected));
    expect(expected).toContain('a19 ');

    const stored = await first.store.load('standup');
    const read = new Y.Doc();
    for (const update of [...(stored.state ? [stored.state] : []), ...stored.updates]) Y.applyUpdate(read, update);
    expect(read.getText('notes').toString()).toBe(expected);

    for (const c of clients.splice(0)) c.destroy();
    await first.close();
    nodes.splice(nodes.indexOf(first), 1);
    const second = await node();
    const reader = client(second.collabUrl, 'standup');
    await reader.synced();
    expect(text(reader)).toBe(expected);
  });

  it('relays an edit only once it is committed; a refused edit comes back from its client and reaches everyone', async () => {
    const server = await node();
    const [writer, other, follower] = [client(server.collabUrl, 'refusals'), client(server.collabUrl, 'refusals'), client(server.collabUrl, 'refusals')];
    await Promise.all([writer, other, follower].map((c) => c.synced()));
    const codes = closeCodes(writer);

    // The error a full disk raises, for the updates that carry this one word.
    const restore = await db.refuseUpdates("position(convert_to('REFUSED', 'UTF8') in NEW.data) > 0");

    writer.doc.getText('notes').insert(0, 'REFUSED ');
    await waitFor(() => codes.includes(1013), { message: 'the writer was not asked to come back' });
    expect(server.registry.storageFailure?.reason).toBe('disk full');
    // Changes reach a follower in the order they were relayed: had the refused edit been relayed
    // before its commit failed, it would be there before this one.
    other.doc.getText('notes').insert(0, 'committed ');
    await waitFor(() => text(follower).includes('committed'));
    expect(text(follower)).not.toContain('REFUSED');
    expect(server.registry.get('refusals')!.doc.getText('notes').toString()).not.toContain('REFUSED');

    await restore();
    // The writer kept its edit and, reconnecting, sends it again.
    await waitFor(() => [writer, other, follower].every((c) => text(c).includes('REFUSED') && text(c).includes('committed')));
    await waitFor(() => server.registry.storageFailure === null);
    const stored = await server.store.load('refusals');
    const read = new Y.Doc();
    for (const update of stored.updates) Y.applyUpdate(read, update);
    expect(read.getText('notes').toString()).toBe(text(follower));
  });

  it('holds back a change the server makes while the database refuses it, relayed to nobody, and stores and relays it once the database takes it', async () => {
    const server = await node();
    const follower = client(server.collabUrl, 'held');
    await follower.synced();
    const restore = await db.refuseUpdates('true');

    // A change of the server's own (what seeding or ticking an action from the tracker makes).
    const room = server.registry.get('held')!;
    room.doc.transact(() => room.doc.getText('notes').insert(0, 'made by the server'), SERVER_ORIGIN);
    await waitFor(() => server.registry.storageFailure !== null);
    expect(room.holdsUnstored).toBe(true);
    // Not relayed while not stored. What the server relays reaches a client in order: once
    // another client's presence, relayed after the change was made, has arrived, a relayed
    // change would have too.
    const other = client(server.collabUrl, 'held');
    await other.synced();
    other.provider.awareness.setLocalStateField('user', { name: 'Kim' });
    await waitFor(() => [...follower.provider.awareness.getStates().values()].some((state) => state.user?.name === 'Kim'));
    expect(text(follower)).toBe('');

    await restore();
    // The registry tries again on its own (once a second) and then relays it.
    await waitFor(() => text(follower) === 'made by the server');
    await waitFor(() => server.registry.storageFailure === null);
    const stored = readStored(await server.store.load('held'));
    expect(stored.getText('notes').toString()).toBe('made by the server');
  });

  it('asks clients to come back while the database cannot be reached, and serves them once it can', async () => {
    const server = await node();
    // What a database restart looks like from here: every connection cut, new ones refused.
    await db.fromOutside(`ALTER DATABASE ${db.name} ALLOW_CONNECTIONS false`);
    await db.fromOutside(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${db.name}'`);
    const reader = client(server.collabUrl, 'unreachable');
    const codes = closeCodes(reader);
    await waitFor(() => codes.filter((code) => code === 1013).length >= 2, { message: 'the client was not asked to come back' });
    expect(reader.provider.synced).toBe(false);

    await db.fromOutside(`ALTER DATABASE ${db.name} ALLOW_CONNECTIONS true`);
    await reader.synced();
    reader.doc.getText('notes').insert(0, 'back');
    await waitFor(async () => readStored(await server.store.load('unreachable')).getText('notes').toString() === 'back');
  });

  it('lets one server own a document: another asks its clients to come back until the first lets go', async () => {
    const [first, second] = [await node({ idleUnloadMs: 60_000 }), await node()];
    const there = client(first.collabUrl, 'planning');
    await there.synced();
    there.doc.getText('notes').insert(0, 'written on the first server');
    await waitFor(() => first.registry.get('planning')?.doc.getText('notes').length === 'written on the first server'.length);

    const moved = client(second.collabUrl, 'planning');
    const codes = closeCodes(moved);
    await waitFor(() => codes.filter((code) => code === 1013).length >= 2, { message: 'the second server did not turn the client away' });
    expect(moved.provider.synced).toBe(false);
    expect(second.registry.get('planning')).toBeUndefined();

    // The first server lets go (its last client leaves and it unloads, or it stops): the
    // client's next attempt lands, with everything written there.
    there.destroy();
    clients.splice(clients.indexOf(there), 1);
    await first.close();
    nodes.splice(nodes.indexOf(first), 1);
    await moved.synced();
    expect(text(moved)).toBe('written on the first server');
  });

  it('a server that loses the database connection holding its documents hands them back, and its clients come back', async () => {
    const server = await node();
    const writer = client(server.collabUrl, 'handover');
    await writer.synced();
    const codes = closeCodes(writer);
    writer.doc.getText('notes').insert(0, 'before ');
    await waitFor(() => server.registry.get('handover')?.doc.getText('notes').toString() === 'before ');
    const loaded = server.registry.get('handover');

    // What a database failover or a network cut does to the session holding the locks.
    const { rowCount } = await db.sql(
      `SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND pid <> pg_backend_pid() AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
         AND objid = (hashtextextended('handover', 0) & 4294967295)::oid`,
    );
    expect(rowCount).toBe(1);
    await waitFor(() => codes.includes(1013), { message: 'the client was not asked to come back' });
    // It comes back to a room loaded afresh, under a new lock, with everything.
    await waitFor(() => writer.provider.synced && server.registry.get('handover') !== undefined && server.registry.get('handover') !== loaded);
    writer.doc.getText('notes').insert(7, 'after');
    await waitFor(() => server.registry.get('handover')?.doc.getText('notes').toString() === 'before after');
    const { rows } = await db.sql(
      `SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database()) AND objid = (hashtextextended('handover', 0) & 4294967295)::oid`,
    );
    expect(rows[0].n).toBe(1);
  });

  it('a server killed while its notetakers type: another takes its documents with everything any client had received', async () => {
    // A database a little way off (20 ms a row): with commits that slow, a server relaying before
    // its commit returned would always have relayed something the database never got.
    await startCollabNode(db.url).then((migrating) => migrating.close());
    await db.slowUpdates(0.02);
    const doomed = await startNodeProcess(db.url);
    processes.push(doomed);
    const docs = ['retro', 'roadmap'];
    const typists = docs.flatMap((doc) => [0, 1, 2].map(() => client(doomed.collabUrl, doc)));
    const followers = docs.flatMap((doc) => [0, 1].map(() => client(doomed.collabUrl, doc)));
    await Promise.all([...typists, ...followers].map((c) => c.synced()));

    // Typing runs on until the kill: each typist adds a word whenever the server has relayed its last.
    let typing = true;
    const typed = typists.map(async (c, i) => {
      for (let n = 0; typing; n++) {
        const word = `t${i}w${n} `;
        c.doc.getText('notes').insert(c.doc.getText('notes').length, word);
        await waitFor(() => !typing || followers.some((f) => f.provider.roomname === c.provider.roomname && text(f).includes(word)));
      }
    });
    await waitFor(() => followers.every((f) => text(f).length > 300));
    await doomed.kill();
    typing = false;
    await Promise.all(typed);

    const successor = await node();
    for (const doc of docs) {
      const reader = client(successor.collabUrl, doc);
      await reader.synced();
      const room = successor.registry.get(doc)!;
      for (const f of followers.filter((f) => f.provider.roomname === doc)) {
        expect(holdsAllOf(room.doc, f.doc)).toBe(true);
      }
    }
    // Every client comes back to the successor and all end with the same notes, their unsent edits included.
    const moved = [...typists, ...followers].map((c) => {
      c.provider.destroy();
      return client(successor.collabUrl, c.provider.roomname, { doc: c.doc });
    });
    for (const doc of docs) {
      const group = moved.filter((c) => c.provider.roomname === doc);
      await waitFor(() => group.every((c) => c.provider.synced && text(c) === text(group[0]!)));
      for (const c of group) expect(holdsAllOf(successor.registry.get(doc)!.doc, c.doc)).toBe(true);
    }
  });
});
