// Changes to a document made from outside its clients (ticking an action from the tracker,
// rewriting agenda headings, sealing at close, naming or restoring a version) must be made where
// the document is loaded: with several processes, on its owner (one per document, see
// persistence/postgres-document-store.ts). The process that got the request tries locally first;
// when another process owns the document, it sends the command over the event bus and waits for
// the owner's answer. A document nobody has loaded is opened (and owned) by whoever asks.

import { randomUUID } from 'node:crypto';
import { OwnedElsewhereError } from '../collab/registry.js';

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

/** Nobody answered for the document: its owner died or let it go meanwhile. */
export class NoOwnerAnsweredError extends Error {}

/** How long to wait for the owner's answer before trying again to open the document here. */
const ANSWER_TIMEOUT_MS = 5_000;
const ATTEMPTS = 3;

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
    for (let attempt = 1; ; attempt++) {
      try {
        return (await handler(doc, command)) as T;
      } catch (error) {
        if (!(error instanceof OwnedElsewhereError) || !this.publish) throw error;
      }
      try {
        return (await this.ask(doc, command)) as T;
      } catch (error) {
        // The owner went away (or let the document go) before answering: it may be free now.
        if (!(error instanceof NoOwnerAnsweredError) || attempt >= ATTEMPTS) throw error;
      }
    }
  }

  private ask(doc: string, command: DocumentCommand): Promise<unknown> {
    const id = randomUUID();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        reject(new NoOwnerAnsweredError(`no server holding ${doc} answered`));
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
