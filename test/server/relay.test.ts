/**
 * The relay alone, under seeded random interleavings of changes, joins, departures and rounds
 * cut short after any connection: every connection ends up with every change, is never sent its
 * own changes alone, and nothing is kept once everyone has everything.
 */
import { describe, expect, it } from 'vitest';
import type { Connection } from '../../server/collab/connection.js';
import { Relay, type Change } from '../../server/collab/relay.js';

class FakeConnection {
  isClosed = false;
  /** Change ids it holds: those it made, those before it joined, those sent to it. */
  readonly has = new Set<number>();
  frames = 0;
  send(frame: Uint8Array): void {
    this.frames++;
    for (const id of JSON.parse(new TextDecoder().decode(frame)) as number[]) this.has.add(id);
  }
  sendAll(frames: readonly Uint8Array[]): void {
    for (const frame of frames) this.send(frame);
  }
}

function rng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Changes carry their id as `update` (or `message`); a run's frame lists the ids, so what arrived is known exactly. */
const idOf = (change: Change): number => {
  const bytes = change.update ?? change.message!;
  return bytes[0]! + 256 * bytes[1]!;
};
const encode = (changes: readonly Change[]): Uint8Array[] => [new TextEncoder().encode(JSON.stringify(changes.map(idOf)))];
const ANNOUNCEMENT = Symbol('announcement');

/** A relay for a room of one joined connection. */
function relayWithOne(): { relay: Relay; connection: FakeConnection } {
  const connection = new FakeConnection();
  const relay = new Relay(new Set([connection as unknown as Connection]), encode);
  relay.joined(connection as unknown as Connection);
  return { relay, connection };
}

describe('relay', () => {
  it.each([1, 2, 3, 4, 5, 6, 7, 8])('delivers every change to every connection under random interleavings (seed %i)', (seed) => {
    const random = rng(seed);
    const connections = new Set<Connection>();
    const relay = new Relay(connections, encode);
    const all: FakeConnection[] = [];
    const made: number[] = [];
    const join = () => {
      const connection = new FakeConnection();
      for (const id of made) connection.has.add(id);
      all.push(connection);
      connections.add(connection as unknown as Connection);
      relay.joined(connection as unknown as Connection);
    };
    for (let i = 0; i < 5; i++) join();
    for (let step = 0; step < 400; step++) {
      const roll = random();
      const open = all.filter((c) => !c.isClosed);
      if (roll < 0.08) {
        // The server's own message: nobody has it yet, everyone must get it, its author's edits or not.
        const id = made.length;
        made.push(id);
        relay.add({ message: new Uint8Array([id % 256, Math.floor(id / 256)]), origin: ANNOUNCEMENT });
      } else if (roll < 0.45) {
        const id = made.length;
        const author = random() < 0.8 && open.length > 0 ? open[Math.floor(random() * open.length)]! : null;
        author?.has.add(id);
        made.push(id);
        relay.add({ update: new Uint8Array([id % 256, Math.floor(id / 256)]), origin: author });
      } else if (roll < 0.55) {
        join();
      } else if (roll < 0.6 && open.length > 1) {
        const leaving = open[Math.floor(random() * open.length)]!;
        leaving.isClosed = true;
        connections.delete(leaving as unknown as Connection);
      } else {
        // A turn of the event loop cut short after one connection.
        relay.send(-Infinity);
      }
    }
    expect(relay.send()).toBe(false);
    expect(relay.pending).toBe(false);
    for (const connection of all.filter((c) => !c.isClosed)) expect(connection.has.size).toBe(made.length);
  });

  it('sends a lone writer nothing and keeps nothing once everyone has everything', () => {
    const { relay, connection: writer } = relayWithOne();
    for (let id = 0; id < 10; id++) {
      relay.add({ update: new Uint8Array([id, 0]), origin: writer });
      expect(relay.send()).toBe(false);
    }
    expect(writer.frames).toBe(0);
    expect((relay as unknown as { changes: Change[] }).changes).toHaveLength(0);
  });

  it("sends the author of a run's edits the run's messages alone", () => {
    const { relay, connection: writer } = relayWithOne();
    relay.add({ update: new Uint8Array([0, 0]), origin: writer });
    relay.add({ message: new Uint8Array([1, 0]), origin: ANNOUNCEMENT });
    relay.add({ update: new Uint8Array([2, 0]), origin: writer });
    relay.send();
    expect(writer.frames).toBe(1);
    expect([...writer.has]).toEqual([1]);
  });

  it('sends a connection that lacks several changes all of them in one frame', () => {
    const { relay, connection: reader } = relayWithOne();
    for (let id = 0; id < 5; id++) relay.add({ update: new Uint8Array([id, 0]), origin: null });
    relay.send();
    expect(reader.frames).toBe(1);
    expect([...reader.has].sort()).toEqual([0, 1, 2, 3, 4]);
  });
});
