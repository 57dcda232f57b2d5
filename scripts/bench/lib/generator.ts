/** The runner's side of the load generator: a few forked worker processes. */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { RpcClient } from './rpc.js';
import { Histogram, type HistogramData } from './histogram.js';
import { CpuWindow } from './proc.js';
import type { Target } from './targets.js';
import type { ClientSpec, DigestEntry } from '../worker.js';

const WORKER = fileURLToPath(new URL('../worker.ts', import.meta.url));

export class Generator {
  private constructor(readonly workers: RpcClient[]) {}

  static async start(count: number, target: Target): Promise<Generator> {
    const workers = Array.from({ length: count }, (_, i) => {
      const child = fork(WORKER, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      return new RpcClient(child, `worker ${i}`);
    });
    const generator = new Generator(workers);
    await generator.all('init', { target });
    return generator;
  }

  get pids(): number[] {
    return this.workers.map((w) => w.child.pid!);
  }

  cpu(): CpuWindow {
    return new CpuWindow(this.pids);
  }

  all<T>(op: string, args: unknown = {}): Promise<T[]> {
    return Promise.all(this.workers.map((w) => w.call<T>(op, args)));
  }

  /** Which worker owns a client: round robin by client id. */
  workerOf(id: number): RpcClient {
    return this.workers[id % this.workers.length]!;
  }

  /** Connects clients on their workers; full clients first, so typers exist before followers join. */
  async connect(clients: ClientSpec[], concurrency = 40, timeoutMs = 60_000): Promise<void> {
    for (const kind of ['full', 'light'] as const) {
      await Promise.all(
        this.workers.map((w, i) =>
          w.call('connect', {
            clients: clients.filter((c) => c.kind === kind && c.id % this.workers.length === i),
            concurrency,
            timeoutMs,
          }),
        ),
      );
    }
  }

  async type(typers: number[], rate: number, until: number): Promise<void> {
    await Promise.all(this.workers.map((w, i) => w.call('type', { typers: typers.filter((id) => id % this.workers.length === i), rate, until })));
  }

  async sentByDoc(): Promise<Map<string, number>> {
    const sent = new Map<string, number>();
    for (const part of await this.all<Record<string, number>>('typed')) {
      for (const [doc, n] of Object.entries(part)) sent.set(doc, (sent.get(doc) ?? 0) + n);
    }
    return sent;
  }

  async stats(): Promise<{ histogram: Histogram; delivered: number }> {
    const histogram = new Histogram();
    let delivered = 0;
    for (const part of await this.all<{ histogram: HistogramData; delivered: number }>('stats')) {
      histogram.add(part.histogram);
      delivered += part.delivered;
    }
    return { histogram, delivered };
  }

  async digest(): Promise<DigestEntry[]> {
    return (await this.all<DigestEntry[]>('digest')).flat();
  }

  probe(doc: string, timeoutMs = 60_000, worker = 0): Promise<{ ms: number; hash: string; length: number }> {
    return this.workers[worker % this.workers.length]!.call('probe', { doc, timeoutMs });
  }

  async close(): Promise<void> {
    await Promise.allSettled(this.workers.map((w) => w.call('closeAll')));
    await Promise.allSettled(
      this.workers.map(
        (w) =>
          new Promise<void>((resolve) => {
            w.child.once('exit', () => resolve());
            w.call('exit').catch(() => {});
            setTimeout(() => {
              w.child.kill('SIGKILL');
              resolve();
            }, 5_000).unref();
          }),
      ),
    );
  }
}
