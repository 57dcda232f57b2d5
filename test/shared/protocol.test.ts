import { describe, expect, it } from 'vitest';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { decodeMessage, encodeAwareness, encodeSyncStep1, encodeSyncStep2, encodeUpdate, MessageType, SyncStep } from '../../shared/protocol/index.js';

/** The frames y-protocols itself writes, as the stock y-websocket client and server build them. */
function reference(type: number, write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, type);
  write(encoder);
  return encoding.toUint8Array(encoder);
}

// Around every boundary of the varUint length prefix (1, 2, 3 and 4 bytes).
const SIZES = [0, 1, 99, 100, 127, 128, 1000, 16_383, 16_384, 2_097_151, 2_097_152];

/** Byte equality; toEqual walks a 2 MB array element by element for half a minute. */
function expectSameBytes(actual: Uint8Array, expected: Uint8Array): void {
  expect(actual.byteLength).toBe(expected.byteLength);
  expect(Buffer.from(actual.buffer, actual.byteOffset, actual.byteLength).equals(expected)).toBe(true);
}

function payload(size: number): Uint8Array {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 31 + 7) & 0xff;
  return bytes;
}

describe('wire frames', () => {
  it.each(SIZES)('match y-protocols byte for byte with a %i-byte payload', (size) => {
    const bytes = payload(size);
    const withStep = (step: number) => (e: encoding.Encoder) => {
      encoding.writeVarUint(e, step);
      encoding.writeVarUint8Array(e, bytes);
    };
    expectSameBytes(encodeSyncStep1(bytes), reference(MessageType.Sync, withStep(syncProtocol.messageYjsSyncStep1)));
    expectSameBytes(encodeSyncStep2(bytes), reference(MessageType.Sync, withStep(syncProtocol.messageYjsSyncStep2)));
    expectSameBytes(encodeUpdate(bytes), reference(MessageType.Sync, (e) => syncProtocol.writeUpdate(e, bytes)));
    expectSameBytes(encodeAwareness(bytes), reference(MessageType.Awareness, (e) => encoding.writeVarUint8Array(e, bytes)));
  });

  it('a real step 1 equals the one y-protocols writes for the same document', () => {
    const doc = new Y.Doc();
    doc.getText('notes').insert(0, 'RHL: how does validation map to phase 3?');
    const expected = reference(MessageType.Sync, (e) => syncProtocol.writeSyncStep1(e, doc));
    expectSameBytes(encodeSyncStep1(Y.encodeStateVector(doc)), expected);
  });

  it.each(SIZES)('decode back to the same step and payload (%i bytes)', (size) => {
    const bytes = payload(size);
    for (const [frame, step] of [
      [encodeSyncStep1(bytes), SyncStep.Step1],
      [encodeSyncStep2(bytes), SyncStep.Step2],
      [encodeUpdate(bytes), SyncStep.Update],
    ] as const) {
      const message = decodeMessage(frame);
      expect(message).toMatchObject({ type: MessageType.Sync, step });
      expectSameBytes((message as { payload: Uint8Array }).payload, bytes);
    }
    const awareness = decodeMessage(encodeAwareness(bytes));
    expect(awareness.type).toBe(MessageType.Awareness);
    expectSameBytes((awareness as { payload: Uint8Array }).payload, bytes);
  });
});
