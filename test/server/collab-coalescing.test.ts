/**
 * Broadcast pacing in big rooms, with the real registry and rooms over sockets whose writes take
 * a set time (what hundreds of kernel writes add up to), so the policy is tested deterministically;
 * the effect on real sockets is measured by scenario 2a of `npm run bench`.
 */
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { RoomRegistry } from '../../server/collab/registry.js';
import { MemoryDocumentStore } from '../../server/persistence/memory-document-store.js';
import { decodeMessage, encodeUpdate, MessageType, SyncStep } from '../../shared/protocol/index.js';
import type { CollabSocket } from '../../server/collab/types.js';
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

async function room(name: string, writeMs: number, followers: number) {
  registry = new RoomRegistry({ store: new MemoryDocumentStore(), logger: quiet });
  const sockets = Array.from({ length: followers }, () => new TimedSocket(writeMs));
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

describe('broadcast pacing', () => {
  it('merges edits that arrive while a costly broadcast is spaced out, and delivers all of them', async () => {
    // 20 followers × 0.5 ms: a 10 ms broadcast, so the next one waits about 20 ms.
    const { sockets, typist } = await room('big', 0.5, 20);
    const letters = 'abcdefghij';
    for (const letter of letters) {
      typist.receive(keystroke(letter));
      await new Promise((resolve) => setImmediate(resolve));
    }
    await waitFor(() => textOf(sockets[0]!.updates()) === letters);
    for (const socket of sockets) expect(textOf(socket.updates())).toBe(letters);
    // Ten edits, each in its own tick: the first goes out at once, the rest share few frames.
    expect(sockets[0]!.updates().length).toBeLessThanOrEqual(4);
  });

  it('never holds back a cheap broadcast', async () => {
    const { sockets, typist } = await room('small', 0, 5);
    for (const letter of 'abcde') {
      typist.receive(keystroke(letter));
      await new Promise((resolve) => setImmediate(resolve));
      await new Promise((resolve) => setImmediate(resolve));
    }
    // Every edit went out in the tick it arrived in: one frame each, none waiting.
    expect(sockets[0]!.updates()).toHaveLength(5);
    expect(textOf(sockets[0]!.updates())).toBe('abcde');
  });

  it('sends held edits before the document unloads', async () => {
    const { sockets, typist } = await room('closing', 0.5, 20);
    typist.receive(keystroke('a'));
    await new Promise((resolve) => setImmediate(resolve));
    typist.receive(keystroke('b'));
    await registry.close();
    expect(textOf(sockets[0]!.updates())).toBe('ab');
  });
});
