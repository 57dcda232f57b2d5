/** Request/response over a child process's IPC channel (the runner ⇄ load-generator workers). */
import type { ChildProcess } from 'node:child_process';

export interface Request {
  rid: number;
  op: string;
  args: unknown;
}
export type Response = { rid: number; ok: true; result: unknown } | { rid: number; ok: false; error: string };

export class RpcClient {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();

  constructor(readonly child: ChildProcess, private readonly name: string) {
    child.on('message', (message: Response) => {
      const entry = this.pending.get(message.rid);
      if (!entry) return;
      this.pending.delete(message.rid);
      if (message.ok) entry.resolve(message.result);
      else entry.reject(new Error(`${this.name}: ${message.error}`));
    });
    child.on('exit', (code) => {
      for (const entry of this.pending.values()) entry.reject(new Error(`${this.name} exited (${code})`));
      this.pending.clear();
    });
  }

  call<T>(op: string, args: unknown = {}): Promise<T> {
    const rid = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(rid, { resolve: resolve as (value: unknown) => void, reject });
      this.child.send({ rid, op, args } satisfies Request);
    });
  }
}

export function serve(handlers: Record<string, (args: never) => unknown>): void {
  process.on('message', (message: Request) => {
    const handler = handlers[message.op];
    Promise.resolve()
      .then(() => {
        if (!handler) throw new Error(`unknown op ${message.op}`);
        return handler(message.args as never);
      })
      .then(
        (result) => process.send!({ rid: message.rid, ok: true, result: result ?? null } satisfies Response),
        (error: Error) => process.send!({ rid: message.rid, ok: false, error: error.stack ?? error.message } satisfies Response),
      );
  });
}
