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
  const length = payload.byteLength;
  const headerLength = length < 126 ? 2 : length < 65_536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(headerLength + length);
  frame[0] = 0x82;
  if (length < 126) {
    frame[1] = length;
  } else if (length < 65_536) {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 127;
    frame.writeBigUInt64BE(BigInt(length), 2);
  }
  frame.set(payload, headerLength);
  return frame;
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

  close(code: number, reason: string): void {
    this.ws.close(code, reason);
  }

  terminate(): void {
    this.ws.terminate();
  }
}
