import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import type { CollabSocket } from './types.js';

/**
 * Payloads up to this size are written as one buffer holding the WebSocket frame header and the
 * payload. Larger ones (a long document's step 2) go through `ws` as header and payload, to avoid
 * copying them.
 */
export const MERGED_FRAME_LIMIT = 16 * 1024;

/**
 * Frames already built, by payload. A broadcast passes one payload to every socket of a room:
 * `ws` would build a header and make a two-buffer write (cork, writev) for each of them, about
 * half of the cost of a socket write in a big meeting besides the system call itself. This way
 * the frame is built once and each socket gets one plain write. Entries go with their payloads.
 */
const framed = new WeakMap<Uint8Array, Buffer>();

/** A server-to-client binary WebSocket frame (FIN, opcode 2, unmasked) in one buffer (RFC 6455 §5.2). */
export function binaryFrame(payload: Uint8Array): Buffer {
  const frame = Buffer.allocUnsafe(frameLength(payload));
  writeFrame(payload, frame, 0);
  return frame;
}

function headerLength(payload: Uint8Array): number {
  return payload.byteLength < 126 ? 2 : payload.byteLength < 65_536 ? 4 : 10;
}

function frameLength(payload: Uint8Array): number {
  return headerLength(payload) + payload.byteLength;
}

/** Writes the frame of `payload` into `target` at `offset`; returns where it ends. */
function writeFrame(payload: Uint8Array, target: Buffer, offset: number): number {
  const length = payload.byteLength;
  target[offset] = 0x82;
  if (length < 126) {
    target[offset + 1] = length;
  } else if (length < 65_536) {
    target[offset + 1] = 126;
    target.writeUInt16BE(length, offset + 2);
  } else {
    target[offset + 1] = 127;
    target.writeBigUInt64BE(BigInt(length), offset + 2);
  }
  const start = offset + headerLength(payload);
  target.set(payload, start);
  return start + length;
}

/**
 * Frames of several payloads, back to back in one buffer, by the array that holds them (a relay
 * run's frames); null when one of them is too long to be copied into it.
 */
const framedRuns = new WeakMap<readonly Uint8Array[], Buffer | null>();

function framesOf(payloads: readonly Uint8Array[]): Buffer | null {
  let frames = framedRuns.get(payloads);
  if (frames === undefined) {
    frames = null;
    if (payloads.every((payload) => payload.byteLength <= MERGED_FRAME_LIMIT)) {
      frames = Buffer.allocUnsafe(payloads.reduce((sum, payload) => sum + frameLength(payload), 0));
      let offset = 0;
      for (const payload of payloads) offset = writeFrame(payload, frames, offset);
    }
    framedRuns.set(payloads, frames);
  }
  return frames;
}

interface WsInternals {
  _socket?: Duplex | null;
  _sender?: { _state?: number; _queue?: unknown[] } | null;
}

/**
 * The TCP socket under a `ws` WebSocket when writing a frame to it directly is the same as
 * `ws.send`: `ws`'s sender has nothing queued (it queues only while compressing, which is off,
 * or while reading a Blob, which we never send). Null when `ws`'s internals are not as expected,
 * and then `ws.send` is used.
 */
function rawSocketOf(ws: WebSocket): Duplex | null {
  const internals = ws as unknown as WsInternals;
  const sender = internals._sender;
  if (!sender || sender._state !== 0 || !Array.isArray(sender._queue) || sender._queue.length > 0) return null;
  const socket = internals._socket;
  return socket && socket.writable ? socket : null;
}

/** A `ws` WebSocket as the collaboration core sees it. */
export class WsCollabSocket implements CollabSocket {
  private probing: NodeJS.Timeout | null = null;

  constructor(readonly ws: WebSocket) {}

  get readyState(): number {
    return this.ws.readyState;
  }

  get bufferedAmount(): number {
    return this.ws.bufferedAmount;
  }

  send(data: Uint8Array): void {
    const raw = data.byteLength <= MERGED_FRAME_LIMIT ? rawSocketOf(this.ws) : null;
    if (!raw) {
      this.ws.send(data);
      return;
    }
    let frame = framed.get(data);
    if (!frame) {
      frame = binaryFrame(data);
      framed.set(data, frame);
    }
    raw.write(frame);
  }

  /**
   * Several frames in one write (a relay run's update and presence: a notetaker's keystroke
   * moves their caret too), the frames built once for every socket sent the same array.
   */
  sendAll(payloads: readonly Uint8Array[]): void {
    const frames = framesOf(payloads);
    const raw = frames && rawSocketOf(this.ws);
    if (!frames || !raw) {
      for (const payload of payloads) this.send(payload);
      return;
    }
    raw.write(frames);
  }

  close(code: number, reason: string): void {
    this.ws.close(code, reason);
  }

  terminate(): void {
    this.ws.terminate();
  }

  /** One probe at a time; any pong answers it, the heartbeat's too. */
  probe(timeoutMs: number): void {
    if (this.probing || this.ws.readyState !== this.ws.OPEN) return;
    const ws = this.ws;
    const settle = (): void => {
      if (this.probing) clearTimeout(this.probing);
      this.probing = null;
      ws.off('pong', settle);
      ws.off('close', settle);
    };
    this.probing = setTimeout(() => {
      settle();
      ws.terminate();
    }, timeoutMs);
    this.probing.unref();
    ws.on('pong', settle);
    ws.on('close', settle);
    ws.ping();
  }
}
