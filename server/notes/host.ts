// Where the notes handler runs: a worker thread, answering requests in order, one at a time,
// restarted on the next request if it ever dies.

import { Worker } from 'node:worker_threads';
import type { WorkerEnvelope, WorkerReply, WorkerRequest, WorkerResult } from './worker/protocol.js';
import type { Logger } from '../collab/types.js';

export interface NotesHost {
  request(request: WorkerRequest): Promise<WorkerResult>;
  /** Called when the host lost its per-document copies (worker crash): every doc must be resent whole. */
  onReset(listener: () => void): void;
  close(): Promise<void>;
}

export class WorkerHost implements NotesHost {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (r: WorkerResult) => void; reject: (e: Error) => void }>();
  private readonly resetListeners: Array<() => void> = [];
  private closed = false;

  constructor(private readonly log: Logger) {}

  private start(): Worker {
    const worker = new Worker(new URL('./worker/entry.mjs', import.meta.url), {
      name: 'quorum-notes',
      // Lexical picks its build from NODE_ENV at import; the production build reads a session
      // about three times faster than the development one, which `npm start` would otherwise get.
      env: { ...process.env, NODE_ENV: 'production' },
    });
    // Never the reason the process stays up; shutdown terminates it explicitly.
    worker.unref();
    worker.on('message', (reply: WorkerReply) => {
      const waiter = this.pending.get(reply.id);
      if (!waiter) return;
      this.pending.delete(reply.id);
      if (reply.ok) waiter.resolve(reply.result);
      else waiter.reject(new Error(reply.error));
    });
    worker.on('error', (error) => this.log.error({ err: error.message }, 'notes worker failed'));
    worker.on('exit', (code) => {
      if (this.worker !== worker) return;
      this.worker = null;
      const waiting = [...this.pending.values()];
      this.pending.clear();
      for (const waiter of waiting) waiter.reject(new Error(`notes worker exited with code ${code}`));
      if (!this.closed) {
        this.log.error({ code }, 'notes worker exited; restarting it on the next request');
        for (const listener of this.resetListeners) listener();
      }
    });
    this.worker = worker;
    return worker;
  }

  request(request: WorkerRequest): Promise<WorkerResult> {
    if (this.closed) return Promise.reject(new Error('notes worker is closed'));
    const worker = this.worker ?? this.start();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      const envelope: WorkerEnvelope = { id, request };
      worker.postMessage(envelope);
    });
  }

  onReset(listener: () => void): void {
    this.resetListeners.push(listener);
  }

  async close(): Promise<void> {
    this.closed = true;
    const worker = this.worker;
    this.worker = null;
    for (const waiter of this.pending.values()) waiter.reject(new Error('notes worker closed'));
    this.pending.clear();
    if (worker) await worker.terminate();
  }
}
