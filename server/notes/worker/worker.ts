// The notes worker thread: keeps a copy of each session document and reads it with headless
// Lexical, off the event loop that relays keystrokes. Started through entry.mjs.

import { parentPort } from 'node:worker_threads';
import { NotesHandler } from './handler.js';
import type { WorkerEnvelope, WorkerReply } from './protocol.js';

const port = parentPort;
if (!port) throw new Error('server/notes/worker/worker.ts must run in a worker thread');

const handler = new NotesHandler();
port.on('message', ({ id, request }: WorkerEnvelope) => {
  let reply: WorkerReply;
  try {
    reply = { id, ok: true, result: handler.handle(request) };
  } catch (error) {
    reply = { id, ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  }
  port.postMessage(reply);
});
