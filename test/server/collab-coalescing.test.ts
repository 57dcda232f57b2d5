/**
 * Relaying in big rooms, with the real registry and rooms over sockets whose writes take a set
 * time (what hundreds of kernel writes add up to), so the policy is tested deterministically; the
 * effect on real sockets is measured by scenario 2a of `npm run bench`.
 */
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { RoomRegistry } from '../../server/collab/registry.js';
import { MemoryDocumentStore } from '../../server/persistence/memory-document-store.js';
import { decodeMessage, encodeUpdate, MessageType, SyncStep } from '../../shared/protocol/index.js';
import type { CollabLimits, CollabSocket } from '../../server/collab/types.js';
import { waitFor } from '../helpers/wait.js';

const quiet = { debug() {}, info() {}, warn() {}, error() {} };

class TimedSocket implements CollabSocket {
  readonly readyState = 1;
  readonly bufferedAmount = 0;
  readonly frames: Uint8Array[] = [];
  constructor(private readonly writeMs: number) {}
  send(data: Uint8Array): void {
    const until = performance.now() + this.writeMs;
    while (performance.now() < until);
    this.frames.push(data);
  }
  close(): void {}
  terminate(): void {}
  /** Updates broadcast to this socket (after the join handshake). */
  updates(): Uint8Array[] {
    return this.frames.flatMap((frame) => {
      const message = decodeMessage(frame);
      return message.type === MessageType.Sync && message.step === SyncStep.Update ? [message.payload] : [];
    });
  }
}

let registry: RoomRegistry;
afterEach(async () => {
  await registry.close();
});

/** A socket that writes several frames at once, as the real one does (one system call). */
class BatchingSocket extends TimedSocket {
  /** The frames of each write. */
  readonly writes: Uint8Array[][] = [];
  override send(data: Uint8Array): void {
    this.sendAll([data]);
  }
  sendAll(frames: readonly Uint8Array[]): void {
    super.send(frames[0]!);
    this.frames.push(...frames.slice(1));
    this.writes.push([...frames]);
  }
}

async function room(name: string, writeMs: number, followers: number, Socket: new (writeMs: number) => TimedSocket = TimedSocket, limits: Partial<CollabLimits> = {}) {
  registry = new RoomRegistry({ store: new MemoryDocumentStore(), logger: quiet, limits });
  const sockets = Array.from({ length: followers }, () => new Socket(writeMs));
  for (const socket of sockets) await registry.admit(registry.connect(socket, name), { readOnly: true });
  const typist = registry.connect(new TimedSocket(0), name);
  await registry.admit(typist, { readOnly: false });
  return { sockets, typist };
}

/** One character typed by its own client, as a separate frame. */
function keystroke(text: string): Uint8Array {
  const doc = new Y.Doc();
  doc.getText('t').insert(0, text);
  return encodeUpdate(Y.encodeStateAsUpdate(doc));
}

function textOf(updates: Uint8Array[]): string {
  const doc = new Y.Doc();
  for (const update of updates) Y.applyUpdate(doc, update);
  return [...doc.getText('t').toString()].sort().join('');
}

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('relaying in big rooms', () => {
  it('merges edits that arrive while a round is under way, and delivers all of them', async () => {
    // 20 followers × 0.5 ms: a round of writes takes 10 ms, a couple of followers per turn.
    const { sockets, typist } = await room('big', 0.5, 20);
    const letters = 'abcdefghij';
    for (const letter of letters) {
      typist.receive(keystroke(letter));
      await turn();
    }
    // Every follower, not only the last: an edit that arrives mid-round reaches the followers the
    // round has passed only in the next round, after the last follower of this one.
    await waitFor(() => sockets.every((socket) => textOf(socket.updates()) === letters), { message: 'every follower has every edit' });
    // Ten edits, each in its own turn: every follower gets them in a few merged frames.
    for (const socket of sockets) expect(socket.updates().length).toBeLessThanOrEqual(4);
  });

  it('takes in and relays an edit that arrives while a round is under way, without waiting for the round to end', async () => {
    const { sockets, typist } = await room('busy', 0.5, 20);
    typist.receive(keystroke('a'));
    await turn();
    // The first turn wrote to the first followers only, and the loop is free again.
    expect(sockets[0]!.updates()).toHaveLength(1);
    expect(sockets[19]!.updates()).toHaveLength(0);
    typist.receive(keystroke('b'));
    expect(registry.get('busy')!.doc.getText('t').length).toBe(2);
    await waitFor(() => textOf(sockets[0]!.updates()) === 'ab');
    // Followers the round had not reached yet got both edits in one frame.
    expect(sockets[19]!.updates()).toHaveLength(1);
    expect(textOf(sockets[19]!.updates())).toBe('ab');
    // Those it had passed got the second in the next round.
    expect(sockets[0]!.updates()).toHaveLength(2);
  });

  it('relays each edit of a cheap room as it comes, without holding it for the next', async () => {
    const { sockets, typist } = await room('small', 0, 5);
    for (const letter of 'abcde') {
      typist.receive(keystroke(letter));
      // No later edit is sent until this one has reached everyone: a relay that held edits back
      // to merge them with the next would never deliver it.
      await waitFor(() => sockets.every((socket) => textOf(socket.updates()).endsWith(letter)), { message: `every follower has ${letter}` });
    }
    for (const socket of sockets) expect(socket.updates()).toHaveLength(5);
    expect(textOf(sockets[0]!.updates())).toBe('abcde');
  });

  it("sends the server's own messages with the edits of the same round, in one write per follower, after them", async () => {
    const { sockets, typist } = await room('announcing', 0.5, 20, BatchingSocket);
    const followers = sockets as BatchingSocket[];
    // Writes after the join handshake.
    const joined = followers.map((socket) => socket.writes.length);
    typist.receive(keystroke('a'));
    await turn();
    // Mid-round: an edit and a message (an action list) arrive.
    typist.receive(keystroke('b'));
    registry.broadcast(['announcing'], { type: 'access', readOnly: true, reason: 'closed' });
    const told = (socket: BatchingSocket): number => socket.frames.filter((frame) => decodeMessage(frame).type === MessageType.Control).length;
    await waitFor(() => followers.every((socket) => told(socket) === 1 && textOf(socket.updates()) === 'ab'), { message: 'every follower has both edits and the message' });
    // A follower the first round had not reached: everything in one write, the message last.
    const last = followers[19]!.writes.slice(joined[19]);
    expect(last).toHaveLength(1);
    expect(last[0]!.map((frame) => decodeMessage(frame).type)).toEqual([MessageType.Sync, MessageType.Control]);
    // The typist, who has its own edits, is sent the message alone.
    const typistSocket = (typist as unknown as { socket: BatchingSocket }).socket;
    expect(typistSocket.frames.filter((frame) => decodeMessage(frame).type === MessageType.Control)).toHaveLength(1);
  });

  it("holds the server's own message for the room's next edit, to go in the same write", async () => {
    const { sockets, typist } = await room('riding', 0, 5, BatchingSocket, { announcementWaitMs: 3_600_000 });
    const followers = sockets as BatchingSocket[];
    typist.receive(keystroke('a'));
    await waitFor(() => followers.every((socket) => textOf(socket.updates()) === 'a'), { message: 'every follower has the first edit' });
    const told = (socket: BatchingSocket): number => socket.frames.filter((frame) => decodeMessage(frame).type === MessageType.Control).length;
    // An action list between two keystrokes: a write of its own to every follower, were it sent now.
    registry.broadcast(['riding'], { type: 'access', readOnly: true, reason: 'closed' });
    for (let n = 0; n < 5; n++) await turn();
    expect(followers.map(told)).toEqual([0, 0, 0, 0, 0]);
    typist.receive(keystroke('b'));
    await waitFor(() => followers.every((socket) => told(socket) === 1 && textOf(socket.updates()) === 'ab'), { message: 'every follower has the message and the edit' });
    for (const socket of followers) expect(socket.writes.at(-1)!.map((frame) => decodeMessage(frame).type)).toEqual([MessageType.Sync, MessageType.Control]);
  });

  it("sends the server's own message on its own when nobody types for a while", async () => {
    const { sockets } = await room('still', 0, 5, BatchingSocket, { announcementWaitMs: 1 });
    const followers = sockets as BatchingSocket[];
    registry.broadcast(['still'], { type: 'access', readOnly: true, reason: 'closed' });
    const told = (socket: BatchingSocket): boolean => socket.frames.some((frame) => decodeMessage(frame).type === MessageType.Control);
    await waitFor(() => followers.every(told), { message: 'every follower has the message' });
  });

  it('sends what is still being relayed before the document unloads', async () => {
    const { sockets, typist } = await room('closing', 0.5, 20);
    typist.receive(keystroke('a'));
    await turn();
    typist.receive(keystroke('b'));
    await registry.close();
    for (const socket of sockets) expect(textOf(socket.updates())).toBe('ab');
  });
});
