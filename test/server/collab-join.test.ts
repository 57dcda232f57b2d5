/**
 * The join handshake with the real registry and rooms over recording sockets: a joiner's step 1
 * is answered with what it lacks (the whole document once for a new client, the missed edits for
 * one that reconnects), later step 1s with nothing already sent, and nothing that changes around
 * the join is lost.
 */
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { RoomRegistry } from '../../server/collab/registry.js';
import { MemoryDocumentStore } from '../../server/persistence/memory-document-store.js';
import { decodeMessage, encodeSyncStep1, encodeSyncStep2, encodeUpdate, MessageType, SyncStep } from '../../shared/protocol/index.js';
import type { CollabSocket } from '../../server/collab/types.js';
import { waitFor } from '../helpers/wait.js';

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

/** What a client holding `doc` says in its step 1. */
const stepOne = (doc: Y.Doc) => encodeSyncStep1(Y.encodeStateVector(doc));
/** A client's reply to the server's step 1 received on `socket`: what it holds that the server lacks, and all its deletions. */
const stepTwo = (doc: Y.Doc, socket: RecordingSocket) => encodeSyncStep2(Y.encodeStateAsUpdate(doc, socket.payloads(SyncStep.Step1)[0]!));

/** A meeting typed keystroke by keystroke with a backspace now and then: a delete set of many ranges. */
function typedNotes(keystrokes: number): { store: MemoryDocumentStore; doc: Y.Doc } {
  const doc = new Y.Doc();
  const text = doc.getText('t');
  const prose = 'the vendor confirmed delivery of the validation kits by the end of the month; ';
  for (let i = 0; i < keystrokes; i++) {
    if (i % 7 === 6) text.delete(text.length - 1, 1);
    else text.insert(text.length, prose[i % prose.length]!);
  }
  const store = new MemoryDocumentStore();
  store.compact('notes', Y.encodeStateAsUpdate(doc));
  return { store, doc };
}

describe('joining a document', () => {
  it("answers a new client's step 1 with the document once, and a reconnecting client's with only what it lacks", async () => {
    const { store, text } = storedNotes();
    registry = new RoomRegistry({ store, logger: quiet });
    // Loaded already (someone else is in the meeting): clients waiting for a load are sent the
    // stored document early instead (see collab-lifecycle).
    await registry.open('notes');
    const socket = new RecordingSocket();
    const connection = await join(socket);
    // Our step 1 goes out at once; the document only as the answer to the client's.
    expect(socket.payloads(SyncStep.Step1)).toHaveLength(1);
    expect(socket.payloads(SyncStep.Step2)).toHaveLength(0);
    // The stock client's opening step 1, with its empty state vector.
    connection.receive(encodeSyncStep1(new Uint8Array([0])));
    const [whole] = socket.payloads(SyncStep.Step2);
    expect(Y.decodeUpdate(whole!).ds.clients.size).toBeGreaterThan(0);
    expect(socket.replica().getText('t').toString()).toBe(text);
    // A later step 1 (a probe confirming its edits): neither structs nor the delete set again.
    connection.receive(encodeSyncStep1(new Uint8Array([0])));
    expect([...socket.payloads(SyncStep.Step2)[1]!]).toEqual([0, 0]);

    // Another client holds the notes but missed the last edit: it gets that edit, not the notes.
    const held = socket.replica();
    const writer = new RecordingSocket();
    const writing = await join(writer);
    writing.receive(stepOne(new Y.Doc()));
    const editor = writer.replica();
    const before = Y.encodeStateVector(editor);
    editor.getText('t').insert(0, 'ACTION: ');
    writing.receive(encodeUpdate(Y.encodeStateAsUpdate(editor, before)));
    const back = new RecordingSocket();
    const reconnected = await join(back);
    reconnected.receive(stepOne(held));
    reconnected.receive(stepTwo(held, back));
    const [missing] = back.payloads(SyncStep.Step2);
    expect(missing!.byteLength).toBeLessThan(whole!.byteLength);
    Y.applyUpdate(held, missing!);
    expect(held.getText('t').toString()).toBe(`ACTION: ${text}`);
  });

  it('still sends what changed between the join and the reply, deletions included', async () => {
    const { store, text } = storedNotes();
    registry = new RoomRegistry({ store, logger: quiet });
    const joiner = new RecordingSocket();
    const connection = await join(joiner);
    const writer = new RecordingSocket();
    const writing = await join(writer);
    writing.receive(stepOne(new Y.Doc()));
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

  it("leaves the document alone when a notetaker's handshake reply holds nothing it lacks", async () => {
    const { store, text } = storedNotes();
    registry = new RoomRegistry({ store, logger: quiet });
    await registry.open('notes');
    const doc = registry.get('notes')!.doc;
    let transactions = 0;
    doc.on('afterTransaction', () => transactions++);
    const socket = new RecordingSocket();
    const connection = await join(socket);
    connection.receive(stepOne(new Y.Doc()));
    // A new notetaker's answer to our step 1: applying it would change nothing, and still run
    // Yjs's decode of it in a transaction.
    connection.receive(encodeSyncStep2(new Uint8Array([0, 0])));
    expect(transactions).toBe(0);
    const replica = socket.replica();
    // Its edits still go in.
    const before = Y.encodeStateVector(replica);
    replica.getText('t').insert(0, 'KT: ');
    connection.receive(encodeSyncStep2(Y.encodeStateAsUpdate(replica, before)));
    expect(transactions).toBe(1);
    expect(doc.getText('t').toString()).toBe(`KT: ${text}`);
  });

  it("takes a follower's empty handshake reply quietly and refuses its edits", async () => {
    const { store, text } = storedNotes();
    registry = new RoomRegistry({ store, logger: quiet });
    const follower = new RecordingSocket();
    const following = await join(follower, true);
    following.receive(stepOne(new Y.Doc()));
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

  it('sends a client that reconnects holding most of a long meeting only the deletions it lacks', async () => {
    const { store, doc: typed } = typedNotes(4_000);
    registry = new RoomRegistry({ store, logger: quiet });
    await registry.open('notes');
    // The client held the meeting as stored, and deleted a word while it was away.
    const held = new Y.Doc();
    Y.applyUpdate(held, Y.encodeStateAsUpdate(typed));
    held.getText('t').delete(0, 4);
    // Meanwhile someone typed five keystrokes and deleted a line from the middle of the notes.
    const writer = new RecordingSocket();
    const writing = await join(writer);
    writing.receive(stepOne(new Y.Doc()));
    const editor = writer.replica();
    const before = Y.encodeStateVector(editor);
    for (const letter of 'GPDF:') editor.getText('t').insert(editor.getText('t').length, letter);
    editor.getText('t').delete(1_000, 40);
    writing.receive(encodeUpdate(Y.encodeStateAsUpdate(editor, before)));

    const room = registry.get('notes')!;
    const standard = Y.encodeStateAsUpdate(room.doc, Y.encodeStateVector(held));
    expect(standard.byteLength).toBeGreaterThan(1_500);
    const back = new RecordingSocket();
    const reconnected = await join(back);
    reconnected.receive(stepOne(held));
    // Its step 1 waits for its step 2, which says which deletions it holds.
    expect(back.payloads(SyncStep.Step2)).toHaveLength(0);
    reconnected.receive(stepTwo(held, back));
    const [reply] = back.payloads(SyncStep.Step2);
    expect(reply!.byteLength).toBeLessThan(200);
    Y.applyUpdate(held, reply!);
    expect(held.getText('t').toString()).toBe(room.doc.getText('t').toString());
    expect(room.doc.getText('t').toString()).toMatch(/GPDF:$/);
    expect(room.doc.getText('t').toString().startsWith(typed.getText('t').toString().slice(4, 100))).toBe(true);
    // A later probe is answered at once, with nothing.
    reconnected.receive(stepOne(held));
    expect([...back.payloads(SyncStep.Step2)[1]!]).toEqual([0, 0]);
  });

  it("stores and applies only the deletions a reconnecting notetaker's reply adds, and takes a follower's as no write", async () => {
    const { store, doc: typed } = typedNotes(4_000);
    const appended: Uint8Array[] = [];
    const append = store.append.bind(store);
    store.append = (name, update) => {
      appended.push(update);
      append(name, update);
    };
    registry = new RoomRegistry({ store, logger: quiet });
    await registry.open('notes');
    const room = registry.get('notes')!;
    let transactions = 0;
    room.doc.on('afterTransaction', () => transactions++);
    const holding = (): Y.Doc => {
      const doc = new Y.Doc();
      Y.applyUpdate(doc, Y.encodeStateAsUpdate(typed));
      return doc;
    };
    const reconnect = async (held: Y.Doc, readOnly = false) => {
      const socket = new RecordingSocket();
      const connection = await join(socket, readOnly);
      connection.receive(stepOne(held));
      const reply = stepTwo(held, socket);
      connection.receive(reply);
      return { socket, replyBytes: reply.byteLength };
    };

    // A notetaker back with the meeting as it left it: its reply is its whole delete set.
    const { replyBytes } = await reconnect(holding());
    expect(replyBytes).toBeGreaterThan(1_500);
    expect(appended).toHaveLength(0);
    expect(transactions).toBe(0);

    // One that deleted a word while away, part of it deleted on the server meanwhile.
    const away = holding();
    away.getText('t').delete(100, 10);
    const writer = new RecordingSocket();
    const writing = await join(writer);
    writing.receive(stepOne(new Y.Doc()));
    const editor = writer.replica();
    const before = Y.encodeStateVector(editor);
    editor.getText('t').delete(105, 10);
    writing.receive(encodeUpdate(Y.encodeStateAsUpdate(editor, before)));
    expect(appended).toHaveLength(1);
    await reconnect(away);
    expect(appended).toHaveLength(2);
    expect(appended[1]!.byteLength).toBeLessThan(40);
    const expected = typed.getText('t').toString();
    expect(room.doc.getText('t').toString()).toBe(expected.slice(0, 100) + expected.slice(115));

    // A follower back with the meeting: not a write attempt, so no warning.
    const follower = await reconnect(holding(), true);
    expect(follower.socket.frames.filter((frame) => decodeMessage(frame).type === MessageType.Auth)).toHaveLength(0);
    // One whose copy deleted what the meeting kept is refused.
    const rogue = holding();
    rogue.getText('t').delete(2_000, 3);
    const refused = await reconnect(rogue, true);
    expect(refused.socket.frames.filter((frame) => decodeMessage(frame).type === MessageType.Auth)).toHaveLength(1);
    expect(appended).toHaveLength(2);
    expect(room.doc.getText('t').toString()).toBe(expected.slice(0, 100) + expected.slice(115));
  });

  it('answers a reconnecting client that never says what it holds the standard way, after a wait', async () => {
    const { store, doc: typed } = typedNotes(500);
    registry = new RoomRegistry({ store, logger: quiet, limits: { handshakeReplyWaitMs: 10 } });
    await registry.open('notes');
    const writer = new RecordingSocket();
    const writing = await join(writer);
    writing.receive(stepOne(new Y.Doc()));
    const editor = writer.replica();
    const before = Y.encodeStateVector(editor);
    editor.getText('t').delete(0, 10);
    writing.receive(encodeUpdate(Y.encodeStateAsUpdate(editor, before)));
    const held = new Y.Doc();
    Y.applyUpdate(held, Y.encodeStateAsUpdate(typed));
    const back = new RecordingSocket();
    const reconnected = await join(back);
    reconnected.receive(stepOne(held));
    await waitFor(() => back.payloads(SyncStep.Step2).length === 1, { message: 'the step 1 was never answered' });
    Y.applyUpdate(held, back.payloads(SyncStep.Step2)[0]!);
    expect(held.getText('t').toString()).toBe(editor.getText('t').toString());
  });
});
