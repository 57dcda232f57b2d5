// Changes to a document made from outside its clients (ticking an action from the tracker,
// rewriting agenda headings, sealing at close, naming or restoring a version) must be made where
// the document is loaded: with several processes, on its owner (one per document, see
// persistence/postgres-document-store.ts). The process that got the request tries locally first;
// when another process owns the document, it sends the command over the event bus and waits for
// the owner's answer. A document nobody has loaded is opened (and owned) by whoever asks.

import { randomUUID } from 'node:crypto';
import { OwnedElsewhereError } from '../collab/registry.js';
import { HttpError } from '../http-errors.js';

export type DocumentCommand =
  | { kind: 'tick'; actionId: string; done: boolean }
  | { kind: 'agenda' }
  | { kind: 'seal'; by: string }
  | { kind: 'named'; name: string; by: string }
  | { kind: 'restore'; versionId: string; by: string };

export type CommandEvent =
  | { type: 'document-command'; id: string; doc: string; command: DocumentCommand }
  | { type: 'document-command-done'; id: string; result?: unknown; error?: { name: string; code?: string; message: string } };

/** The owner refused the command; `name` and `code` are its error's, for the caller to map. */
export class RemoteCommandError extends Error {
  constructor(
    readonly remoteName: string,
    readonly code: string | undefined,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Nobody answered for the document (its owner died, let it go, or could not send its answer),
 * and it could not be opened here either: a 503, to try again.
 */
export class NoOwnerAnsweredError extends HttpError {
  constructor(doc: string) {
    super(503, `the server holding ${doc} did not answer; try again shortly`);
  }
}

/** How long to wait for the owner's answer before opening the document here, if it is free. */
const ANSWER_TIMEOUT_MS = 5_000;

/** The wait for an owner's answer ran out. */
class NoAnswer extends Error {}

interface Waiter {
  resolve(result: unknown): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

export class DocumentCommands {
  private readonly waiting = new Map<string, Waiter>();
  private handler: ((doc: string, command: DocumentCommand) => Promise<unknown>) | null = null;

  /**
   * `publish` sends an event to every process (null on a single process: nothing is ever
   * forwarded); `loadedHere` says whether this process holds the document.
   */
  constructor(
    private readonly publish: ((event: CommandEvent) => void) | null,
    private readonly loadedHere: (doc: string) => boolean,
    private readonly answerTimeoutMs = ANSWER_TIMEOUT_MS,
  ) {}

  /** What running a command here means (the app's services: app.ts). */
  handle(handler: (doc: string, command: DocumentCommand) => Promise<unknown>): void {
    this.handler = handler;
  }

  /** Runs the command on the document's owner: here when it can be loaded here, else where it is. */
  async run<T>(doc: string, command: DocumentCommand): Promise<T> {
    const handler = this.handler;
    if (!handler) throw new Error('no document commands are handled yet');
    try {
      return (await handler(doc, command)) as T;
    } catch (error) {
      if (!(error instanceof OwnedElsewhereError) || !this.publish) throw error;
    }
    try {
      return (await this.ask(doc, command)) as T;
    } catch (error) {
      if (!(error instanceof NoAnswer)) throw error;
    }
    // The owner went away (its document is free now) or its answer was lost. Never asked twice:
    // the owner may have run it, and a restore or a named version run twice is two of them.
    try {
      return (await handler(doc, command)) as T;
    } catch (error) {
      throw error instanceof OwnedElsewhereError ? new NoOwnerAnsweredError(doc) : error;
    }
  }

  /**
   * `run`, with the owner's refusal raised again as the caller's own error class (`refusal`:
   * the class its handler throws, constructed from a code and a message on every process).
   */
  async runRaising<T, E extends Error>(doc: string, command: DocumentCommand, refusal: new (code: never, message: string) => E): Promise<T> {
    try {
      return await this.run<T>(doc, command);
    } catch (error) {
      if (error instanceof RemoteCommandError && error.remoteName === refusal.name) throw new refusal(error.code as never, error.message);
      throw error;
    }
  }

  private ask(doc: string, command: DocumentCommand): Promise<unknown> {
    const id = randomUUID();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        reject(new NoAnswer());
      }, this.answerTimeoutMs);
      timer.unref();
      this.waiting.set(id, { resolve, reject, timer });
      this.publish!({ type: 'document-command', id, doc, command });
    });
  }

  /** An event from the bus (ours included); returns 1 when this process acted on it. */
  receive(event: CommandEvent): number {
    if (event.type === 'document-command-done') {
      const waiter = this.waiting.get(event.id);
      if (!waiter) return 0;
      this.waiting.delete(event.id);
      clearTimeout(waiter.timer);
      if (event.error) waiter.reject(new RemoteCommandError(event.error.name, event.error.code, event.error.message));
      else waiter.resolve(event.result);
      return 1;
    }
    // Only the owner answers; the asker itself never holds the document.
    if (!this.handler || !this.publish || !this.loadedHere(event.doc)) return 0;
    const publish = this.publish;
    this.handler(event.doc, event.command).then(
      (result) => publish({ type: 'document-command-done', id: event.id, result: result ?? null }),
      (error: Error & { code?: unknown }) =>
        publish({ type: 'document-command-done', id: event.id, error: { name: error.constructor.name, ...(typeof error.code === 'string' ? { code: error.code } : {}), message: error.message } }),
    );
    return 1;
  }
}
