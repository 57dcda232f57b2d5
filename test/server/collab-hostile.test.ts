import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { connectProvider, connectRaw, type ProviderClient } from '../helpers/clients.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { waitFor } from '../helpers/wait.js';
import { CloseCode, encodeAwareness, encodeSyncStep1, encodeUpdate, MessageType, SyncStep } from '../../shared/protocol/index.js';

const MAX_FRAME = 64 * 1024;

function bytes(...parts: Array<number | Uint8Array>): Uint8Array {
  const encoder = encoding.createEncoder();
  for (const part of parts) {
    if (typeof part === 'number') encoding.writeUint8(encoder, part);
    else encoding.writeUint8Array(encoder, part);
  }
  return encoding.toUint8Array(encoder);
}

function validUpdate(text: string): Uint8Array {
  const doc = new Y.Doc();
  doc.getText('t').insert(0, text);
  return Y.encodeStateAsUpdate(doc);
}

/** A syntactically framed update whose inner bytes are damaged in a way Yjs rejects. */
function corruptUpdate(): Uint8Array {
  const update = validUpdate('hello world, a longer piece of text').slice();
  // Claim far more structs than exist: the decoder runs off the end.
  update[0] = 0x7f;
  return update;
}

const hostileFrames: Array<[string, Uint8Array, number]> = [
  ['random bytes', bytes(0xde, 0xad, 0xbe, 0xef, 0x01, 0x02, 0x03), CloseCode.InvalidMessage],
  ['an empty frame', new Uint8Array(0), CloseCode.InvalidMessage],
  ['a truncated varint', bytes(0xff, 0xff, 0xff), CloseCode.InvalidMessage],
  ['a truncated sync sub-type', bytes(MessageType.Sync, 0x80), CloseCode.InvalidMessage],
  ['a huge length prefix', bytes(MessageType.Sync, SyncStep.Update, 0xff, 0xff, 0xff, 0xff, 0x0f, 1, 2, 3), CloseCode.InvalidMessage],
  ['an unknown message type', bytes(42, 0), CloseCode.InvalidMessage],
  ['an unknown sync step', bytes(MessageType.Sync, 9, 0), CloseCode.InvalidMessage],
  ['a valid envelope holding a corrupt update', encodeUpdate(corruptUpdate()), CloseCode.InvalidMessage],
  ['a corrupt sync step 2', bytes(MessageType.Sync, SyncStep.Step2, 3, 0xff, 0xff, 0xff), CloseCode.InvalidMessage],
  ['awareness that is not JSON', encodeAwareness(bytes(1, 7, 1, 3, 0x7b, 0x7b, 0x7b)), CloseCode.InvalidMessage],
  ['a client-sent auth message', bytes(MessageType.Auth, 0, 0), CloseCode.InvalidMessage],
  ['a frame over the size limit', encodeUpdate(new Uint8Array(MAX_FRAME + 10)), CloseCode.FrameTooLarge],
];

describe('collaboration: hostile input', () => {
  let server: TestServer;
  let alice: ProviderClient;
  let bob: ProviderClient;

  beforeAll(async () => {
    server = await startServer({ openDocuments: true, maxFrameBytes: MAX_FRAME });
    alice = connectProvider(server.collabUrl, 'shared');
    bob = connectProvider(server.collabUrl, 'shared');
    await Promise.all([alice.synced(), bob.synced()]);
  });
  afterAll(async () => {
    alice.destroy();
    bob.destroy();
    await server.close();
  });

  async function othersStillSync(marker: string): Promise<void> {
    alice.doc.getText('t').insert(0, marker);
    await waitFor(() => bob.doc.getText('t').toString().includes(marker), { message: `edit "${marker}" did not reach bob` });
    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(200);
  }

  it.each(hostileFrames)('closes only the connection that sent %s, with a code and reason', async (_name, frame, code) => {
    const raw = connectRaw(server.collabUrl, 'shared');
    await raw.opened;
    raw.handshake();
    raw.send(frame);
    const closed = await raw.closed;
    expect(closed.code).toBe(code);
    expect(closed.reason.length).toBeGreaterThan(0);
    await othersStillSync(`after ${_name}; `);
  });

  it('refuses text frames and invalid document names with final (44xx) codes', async () => {
    const text = connectRaw(server.collabUrl, 'shared');
    await text.opened;
    text.ws.send('hello');
    expect((await text.closed).code).toBe(CloseCode.InvalidMessage);

    for (const name of ['.hidden', 'a%20b', encodeURIComponent('x'.repeat(200)), '%E0%A4%A']) {
      const bad = connectRaw(server.collabUrl, name);
      const closed = await bad.closed;
      expect(closed.code, name).toBe(CloseCode.BadRequest);
    }
    await othersStillSync('after bad names; ');
  });

  it('survives a seeded stream of random frames from many connections', async () => {
    let seed = 12345;
    const random = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x7fffffff;
    };
    const closes: Promise<{ code: number }>[] = [];
    for (let i = 0; i < 40; i++) {
      const raw = connectRaw(server.collabUrl, i % 2 ? 'shared' : `fuzz-${i}`);
      await raw.opened;
      const length = 1 + Math.floor(random() * 64);
      const frame = new Uint8Array(length);
      for (let j = 0; j < length; j++) frame[j] = Math.floor(random() * 256);
      // Half the frames look like sync or awareness messages so the fuzz reaches the Yjs decoder.
      if (i % 2 === 0) frame[0] = i % 4 === 0 ? MessageType.Sync : MessageType.Awareness;
      if (i % 4 === 0) frame[1] = SyncStep.Update;
      raw.send(frame);
      raw.send(encodeSyncStep1(new Uint8Array([0])));
      closes.push(raw.closed);
      setTimeout(() => raw.close(), 200);
    }
    const codes = (await Promise.all(closes)).map((c) => c.code);
    expect(codes.every((code) => code === CloseCode.InvalidMessage || code === 1000 || code === 1005)).toBe(true);
    await othersStillSync('after fuzz; ');
    expect(alice.doc.getText('t').toString()).toBe(bob.doc.getText('t').toString());
  });

  it('stops y-websocket reconnecting after a final refusal', async () => {
    const big = connectProvider(server.collabUrl, 'shared');
    await big.synced();
    let closed: { code: number } | null = null;
    big.provider.on('closed', (event) => {
      closed = event;
    });
    big.doc.getText('big').insert(0, 'x'.repeat(MAX_FRAME * 2));
    await waitFor(() => closed !== null, { message: 'provider did not receive a final close' });
    expect(closed!.code).toBe(CloseCode.FrameTooLarge);
    expect(big.provider.shouldConnect).toBe(false);
    big.destroy();
    await othersStillSync('after oversized update; ');
  });
});
