/**
 * The y-websocket wire protocol as Quorum speaks it, shared by server, client and tests.
 *
 * A frame is one WebSocket binary message: varUint message type, then a type-specific body.
 *   0 Sync            varUint sub-type (0 step 1 · 1 step 2 · 2 update), then varUint8Array payload
 *   1 Awareness       varUint8Array awareness update
 *   2 Auth            varUint 0 (permission denied), varString reason   — server → client only
 *   3 QueryAwareness  no body; answered with the full awareness state
 *   4 Control         varString JSON {type, …}                        — server → client only
 * Messages 0–3 are exactly y-websocket's, so its stock WebsocketProvider connects unchanged.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import type { ActionsPush } from '../api/actions.js';

export const MessageType = {
  Sync: 0,
  Awareness: 1,
  Auth: 2,
  QueryAwareness: 3,
  Control: 4,
} as const;

export const SyncStep = {
  Step1: 0,
  Step2: 1,
  Update: 2,
} as const;

export const AuthMessage = {
  PermissionDenied: 0,
} as const;

/**
 * Close codes. 44xx mirror HTTP 4xx and mean "reconnecting cannot fix this": y-websocket 3.1
 * stops retrying on them. Codes outside 44xx let the client reconnect.
 */
export const CloseCode = {
  /** Server shutting down or restarting; clients reconnect. */
  GoingAway: 1001,
  /** This client read too slowly and its buffer passed the cap; it may reconnect. */
  TryAgainLater: 1013,
  /** Bad document name or other malformed request. */
  BadRequest: 4400,
  /** No session or token presented, or it is unknown. */
  Unauthorized: 4401,
  /** Credentials are valid but grant no access to this document, or were revoked. */
  Forbidden: 4403,
  /** The document does not exist. */
  NotFound: 4404,
  /** A frame larger than the configured limit. */
  FrameTooLarge: 4413,
  /** A frame that does not decode, an update Yjs rejects, or an unknown message type. */
  InvalidMessage: 4422,
  /** Too many frames queued while the document was still loading. */
  TooManyRequests: 4429,
} as const;
export type CloseCodeValue = (typeof CloseCode)[keyof typeof CloseCode];

/** The connection became read-only or writable again (a role or link changed). */
export interface AccessChange {
  type: 'access';
  readOnly: boolean;
  reason: string;
}

/**
 * What an earlier meeting of the series carries into this one changed (it was closed or reopened,
 * or a carried action was ticked): the page reads its Past actions again.
 */
export interface PastActionsChanged {
  type: 'past-actions';
}

/**
 * What the meeting's page shows beside the notes changed (someone edited the meeting, closed or
 * reopened it, attached or removed a file): the page reads that part again.
 */
export interface MeetingChange {
  type: 'meeting';
  changed: 'details' | 'attachments';
}

/** Control messages the server pushes. Clients ignore a type they do not know (a newer server). */
export type ControlMessage = AccessChange | ActionsPush | PastActionsChanged | MeetingChange;

export function isFinalClose(code: number): boolean {
  return code >= 4400 && code < 4500;
}

/** Document names travel in URLs and log lines: keep them to a safe, bounded alphabet. */
export const DOCUMENT_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

export function isValidDocumentName(name: string): boolean {
  return DOCUMENT_NAME_PATTERN.test(name);
}

function frame(type: number, write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, type);
  write(encoder);
  return encoding.toUint8Array(encoder);
}

/**
 * A frame of small header numbers followed by one varUint8Array payload, built in a single
 * allocation of its exact size. lib0's growing encoder would allocate and copy a payload up to
 * three times; the server builds one of these for every relayed update and every join.
 */
function payloadFrame(header: readonly number[], payload: Uint8Array): Uint8Array {
  const prefix = [...header, payload.byteLength];
  let size = payload.byteLength;
  for (const n of prefix) size += varUintLength(n);
  const out = new Uint8Array(size);
  let at = 0;
  for (let n of prefix) {
    while (n > 0x7f) {
      out[at++] = 0x80 | (n & 0x7f);
      n = Math.floor(n / 128);
    }
    out[at++] = n;
  }
  out.set(payload, at);
  return out;
}

function varUintLength(n: number): number {
  let length = 1;
  while (n > 0x7f) {
    n = Math.floor(n / 128);
    length++;
  }
  return length;
}

export function encodeSyncStep1(stateVector: Uint8Array): Uint8Array {
  return payloadFrame([MessageType.Sync, SyncStep.Step1], stateVector);
}

export function encodeSyncStep2(update: Uint8Array): Uint8Array {
  return payloadFrame([MessageType.Sync, SyncStep.Step2], update);
}

export function encodeUpdate(update: Uint8Array): Uint8Array {
  return payloadFrame([MessageType.Sync, SyncStep.Update], update);
}

export function encodeAwareness(update: Uint8Array): Uint8Array {
  return payloadFrame([MessageType.Awareness], update);
}

/**
 * An awareness update with no entries: a no-op for every client, but it counts as a message.
 * y-websocket closes a socket that received nothing for 30 s, and a lone writer is never sent
 * anything (the server does not echo its own updates), so idle connections get this.
 */
export function encodeKeepAlive(): Uint8Array {
  return encodeAwareness(new Uint8Array([0]));
}

export function encodeQueryAwareness(): Uint8Array {
  return frame(MessageType.QueryAwareness, () => {});
}

export function encodePermissionDenied(reason: string): Uint8Array {
  return frame(MessageType.Auth, (e) => {
    encoding.writeVarUint(e, AuthMessage.PermissionDenied);
    encoding.writeVarString(e, reason);
  });
}

export function encodeControl(message: ControlMessage): Uint8Array {
  return frame(MessageType.Control, (e) => encoding.writeVarString(e, JSON.stringify(message)));
}

export type IncomingMessage =
  | { type: typeof MessageType.Sync; step: (typeof SyncStep)[keyof typeof SyncStep]; payload: Uint8Array }
  | { type: typeof MessageType.Awareness; payload: Uint8Array }
  | { type: typeof MessageType.QueryAwareness }
  | { type: typeof MessageType.Auth; reason: string }
  | { type: typeof MessageType.Control; message: ControlMessage };

export class ProtocolError extends Error {}

/**
 * Decodes one frame. Throws ProtocolError for anything that is not a well-formed message.
 * The caller must pass a buffer that owns exactly its bytes: lib0 slices the underlying
 * ArrayBuffer, so a lying length prefix inside a pooled buffer would read a neighbour's bytes.
 */
export function decodeMessage(data: Uint8Array): IncomingMessage {
  try {
    const decoder = decoding.createDecoder(data);
    const type = decoding.readVarUint(decoder);
    switch (type) {
      case MessageType.Sync: {
        const step = decoding.readVarUint(decoder);
        if (step !== SyncStep.Step1 && step !== SyncStep.Step2 && step !== SyncStep.Update) {
          throw new ProtocolError(`unknown sync step ${step}`);
        }
        return { type, step, payload: decoding.readVarUint8Array(decoder) };
      }
      case MessageType.Awareness:
        return { type, payload: decoding.readVarUint8Array(decoder) };
      case MessageType.QueryAwareness:
        return { type };
      case MessageType.Auth: {
        decoding.readVarUint(decoder);
        return { type, reason: decoding.readVarString(decoder) };
      }
      case MessageType.Control:
        return { type, message: JSON.parse(decoding.readVarString(decoder)) as ControlMessage };
      default:
        throw new ProtocolError(`unknown message type ${type}`);
    }
  } catch (error) {
    if (error instanceof ProtocolError) throw error;
    throw new ProtocolError(`malformed frame: ${(error as Error).message}`);
  }
}

export interface AwarenessEntry {
  clientId: number;
  clock: number;
  state: string;
}

/** Awareness updates are `count, (clientID, clock, JSON state)*`; parsed to police ownership. */
export function decodeAwarenessEntries(update: Uint8Array): AwarenessEntry[] {
  const decoder = decoding.createDecoder(update);
  const count = decoding.readVarUint(decoder);
  const entries: AwarenessEntry[] = [];
  for (let i = 0; i < count; i++) {
    entries.push({
      clientId: decoding.readVarUint(decoder),
      clock: decoding.readVarUint(decoder),
      state: decoding.readVarString(decoder),
    });
  }
  return entries;
}

export function encodeAwarenessEntries(entries: readonly AwarenessEntry[]): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, entries.length);
  for (const entry of entries) {
    encoding.writeVarUint(encoder, entry.clientId);
    encoding.writeVarUint(encoder, entry.clock);
    encoding.writeVarString(encoder, entry.state);
  }
  return encoding.toUint8Array(encoder);
}
