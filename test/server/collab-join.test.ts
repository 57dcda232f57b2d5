/**
 * The join handshake with the real registry and rooms over recording sockets: a joiner gets the
 * document once, its own step 1 (which crosses our step 2 in flight) is answered with only what
 * it still lacks, and nothing that changes around the join is lost.
 */
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { RoomRegistry } from '../../server/collab/registry.js';
import { MemoryDocumentStore } from '../../server/persistence/memory-document-store.js';
import { decodeMessage, encodeSyncStep1, encodeSyncStep2, encodeUpdate, MessageType, SyncStep } from '../../shared/protocol/index.js';
import type { CollabSocket } from '../../server/collab/types.js';

const quiet = { debug() {}, info() {}, warn() {}, error() {} };

class RecordingSocket implements CollabSocket {
  readonly readyState = 1;
  readonly bufferedAmount = 0;
  readonly frames: Uint8Array[] = [];
  send(data: Uint8Array): void {
    this.frames.push(data);
  }
  close(): void {}
  terminate(): void {}
  /** Sync payloads received, by step. */
  payloads(step: number): Uint8Array[] {
    return this.frames.flatMap((frame) => {
      const message = decodeMessage(frame);
      return message.type === MessageType.Sync && message.step === step ? [message.payload] : [];
    });
  }
  /** What a client holds after applying everything it was sent, in order. */
  replica(): Y.Doc {
    const doc = new Y.Doc();
    for (const frame of this.frames) {
      const message = decodeMessage(frame);
      if (message.type === MessageType.Sync && message.step !== SyncStep.Step1) Y.applyUpdate(doc, message.payload);
    }
    return doc;
  }
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

let registry: RoomRegistry;
afterEach(async () => {
  await registry.close();
});

/** A stored document with a history of typing and deleting, so its delete set is not empty. */
function storedNotes(): { store: MemoryDocumentStore; text: string } {
  const doc = new Y.Doc();
  const text = doc.getText('t');
  text.insert(0, 'RHL: how does validation map to phase 3?');
  text.delete(0, 5);
  text.insert(text.length, ' KT: by the end of the month.');
  text.delete(10, 4);
  const store = new MemoryDocumentStore();
  store.compact('notes', Y.encodeStateAsUpdate(doc));
  return { store, text: text.toString() };
}

async function join(socket: RecordingSocket, readOnly = false) {
  const connection = registry.connect(socket, 'notes');
  await registry.admit(connection, { readOnly });
  return connection;
}

describe('joining a document', () => {
  it('answers the step 1 that crossed the join step 2 with the empty update, not the document again', async () => {
    const { store, text } = storedNotes();
    registry = new RoomRegistry({ store, logger: quiet });
    const socket = new RecordingSocket();
    const connection = await join(socket);
    // The stock client's opening step 1, with its empty state vector.
    connection.receive(encodeSyncStep1(new Uint8Array([0])));
    const [joinStep2, reply] = socket.payloads(SyncStep.Step2);
    expect(socket.payloads(SyncStep.Step2)).toHaveLength(2);
    expect(Y.decodeUpdate(joinStep2!).ds.clients.size).toBeGreaterThan(0);
    // Neither structs nor the delete set a second time.
    expect([...reply!]).toEqual([0, 0]);
    expect(socket.replica().getText('t').toString()).toBe(text);
  });

  it('still sends what changed between the join and the reply, deletions included', async () => {
    const { store, text } = storedNotes();
    registry = new RoomRegistry({ store, logger: quiet });
    const joiner = new RecordingSocket();
    const connection = await join(joiner);
    const writer = new RecordingSocket();
    const writing = await join(writer);
    const editor = writer.replica();
    const before = Y.encodeStateVector(editor);
    editor.getText('t').delete(0, 3);
    editor.getText('t').insert(0, 'GPDF ');
    writing.receive(encodeUpdate(Y.encodeStateAsUpdate(editor, before)));
    // The joiner's step 1 is handled before the writer's edit has been broadcast.
    connection.receive(encodeSyncStep1(new Uint8Array([0])));
    await tick();
    const expected = `GPDF ${text.slice(3)}`;
    expect(registry.get('notes')!.doc.getText('t').toString()).toBe(expected);
    expect(joiner.replica().getText('t').toString()).toBe(expected);
  });

  it("takes a follower's empty handshake reply quietly and refuses its edits", async () => {
    const { store, text } = storedNotes();
    registry = new RoomRegistry({ store, logger: quiet });
    const follower = new RecordingSocket();
    const following = await join(follower, true);
    const denials = () => follower.frames.filter((frame) => decodeMessage(frame).type === MessageType.Auth).length;
    // Its answer to our step 1: it has nothing we lack.
    following.receive(encodeSyncStep2(new Uint8Array([0, 0])));
    expect(denials()).toBe(0);
    const replica = follower.replica();
    const before = Y.encodeStateVector(replica);
    replica.getText('t').insert(0, 'sneaky ');
    following.receive(encodeSyncStep2(Y.encodeStateAsUpdate(replica, before)));
    expect(denials()).toBe(1);
    expect(registry.get('notes')!.doc.getText('t').toString()).toBe(text);
  });
});
