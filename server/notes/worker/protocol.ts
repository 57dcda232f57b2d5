// Messages between the notes service (main thread) and the notes worker. Every request carries
// the Yjs updates of its document not yet sent, so the worker's copy is current when it answers.

import type { ExtractContext, PassResult } from './extract.js';

export type WorkerRequest =
  | { kind: 'pass'; doc: string; updates: Uint8Array[]; context: ExtractContext; reassign: string[]; assign: boolean }
  | { kind: 'setDone'; doc: string; updates: Uint8Array[]; actionId: string; done: boolean }
  | { kind: 'drop'; doc: string };

export type WorkerResult =
  | { kind: 'pass'; result: PassResult }
  | { kind: 'setDone'; update: Uint8Array | null; found: boolean }
  | { kind: 'drop' };

export type WorkerEnvelope = { id: number; request: WorkerRequest };
export type WorkerReply = { id: number; ok: true; result: WorkerResult } | { id: number; ok: false; error: string };
