/**
 * The room's queue of writes to an asynchronous store (PostgreSQL), against a store whose commits
 * the test resolves by hand: batching of what arrives during a commit, order, compaction in line,
 * refusals, and server changes held back until the store takes them. test/postgres/ runs it on
 * a real PostgreSQL.
 */
import { describe, expect, it } from 'vitest';
import { CommitQueue, type PendingCommit } from '../../server/collab/commit-queue.js';
import type { Connection } from '../../server/collab/connection.js';

/** A commit in flight, to be resolved or failed by the test. */
interface Flight {
  updates: string[];
  resolve(): void;
  reject(error: Error): void;
}

function harness() {
  const flights: Flight[] = [];
  const log: string[] = [];
  const queue = new CommitQueue({
    commit: (updates) =>
      new Promise<void>((resolve, reject) => {
        flights.push({ updates: updates.map((u) => new TextDecoder().decode(u)), resolve, reject });
      }),
    compact: async () => {
      log.push('compact');
    },
    committed: (batch) => log.push(...batch.map((item) => `${item.kind}:${new TextDecoder().decode(item.update)}`)),
    refused: (connection) => log.push(`refused:${(connection as unknown as { id: string }).id}`),
    heldBack: () => log.push('held'),
  });
  const connection = (id: string) => ({ id }) as unknown as Connection;
  const client = (text: string, from: Connection): PendingCommit => ({ kind: 'client', update: new TextEncoder().encode(text), payload: new Uint8Array(), connection: from });
  const server = (text: string): PendingCommit => ({ kind: 'server', update: new TextEncoder().encode(text), origin: null });
  const tick = () => new Promise((resolve) => setImmediate(resolve));
  return { queue, flights, log, connection, client, server, tick };
}

describe('CommitQueue', () => {
  it('commits one batch at a time: what arrives during a commit goes in the next one, in order', async () => {
    const { queue, flights, log, connection, client, server, tick } = harness();
    const kim = connection('kim');
    queue.add(client('a', kim));
    expect(flights.map((f) => f.updates)).toEqual([['a']]);
    queue.add(client('b', kim));
    queue.add(server('s'));
    queue.add(client('c', connection('lee')));
    // Nothing more goes out, and nothing is applied, until the first commit returns.
    expect(flights).toHaveLength(1);
    expect(log).toEqual([]);
    flights[0]!.resolve();
    await tick();
    expect(log).toEqual(['client:a']);
    expect(flights.map((f) => f.updates)).toEqual([['a'], ['b', 's', 'c']]);
    flights[1]!.resolve();
    await queue.settled();
    expect(log).toEqual(['client:a', 'client:b', 'server:s', 'client:c']);
    expect(queue.idle).toBe(true);
  });

  it('compacts in line: after what came before has been committed, before what comes after', async () => {
    const { queue, flights, log, connection, client, tick } = harness();
    const kim = connection('kim');
    queue.add(client('a', kim));
    queue.compactSoon();
    queue.compactSoon();
    queue.add(client('b', kim));
    flights[0]!.resolve();
    await tick();
    await tick();
    expect(log).toEqual(['client:a', 'compact']);
    expect(flights.map((f) => f.updates)).toEqual([['a'], ['b']]);
    flights[1]!.resolve();
    await queue.settled();
    expect(log).toEqual(['client:a', 'compact', 'client:b']);
  });

  it('refuses a failed batch’s clients, with what they sent since, and goes on with the others', async () => {
    const { queue, flights, log, connection, client, tick } = harness();
    const [kim, lee] = [connection('kim'), connection('lee')];
    queue.add(client('a', kim));
    queue.add(client('b', kim));
    queue.add(client('c', lee));
    flights[0]!.reject(new Error('disk full'));
    await tick();
    // kim's later update goes with it (kim sends both again when it reconnects); lee's is tried.
    expect(log).toEqual(['refused:kim']);
    expect(flights.map((f) => f.updates)).toEqual([['a'], ['c']]);
    flights[1]!.resolve();
    await queue.settled();
    expect(log).toEqual(['refused:kim', 'client:c']);
  });

  it('holds the server’s changes back when their commit fails, relayed to nobody, until resumed', async () => {
    const { queue, flights, log, connection, client, server, tick } = harness();
    queue.add(server('s'));
    flights[0]!.reject(new Error('disk full'));
    await tick();
    expect(log).toEqual(['held']);
    expect(queue.isHeld).toBe(true);
    queue.add(client('a', connection('kim')));
    await tick();
    // Nothing moves while held: the client's update waits behind the server's change.
    expect(flights).toHaveLength(1);

    const resumed = queue.resume();
    expect(flights.map((f) => f.updates)).toEqual([['s'], ['s', 'a']]);
    flights[1]!.resolve();
    expect(await resumed).toBe(true);
    expect(log).toEqual(['held', 'server:s', 'client:a']);
    expect(queue.isHeld).toBe(false);
  });

  it('drops everything once stopped (a discarded document), even a commit that returns later', async () => {
    const { queue, flights, log, connection, client } = harness();
    queue.add(client('a', connection('kim')));
    queue.add(client('b', connection('kim')));
    queue.stop();
    flights[0]!.resolve();
    await queue.settled();
    expect(log).toEqual([]);
    expect(flights).toHaveLength(1);
  });
});
