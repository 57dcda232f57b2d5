import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface NodeProcess {
  pid: number;
  port: number;
  collabUrl: string;
  /** Names of the documents it has loaded. */
  documents(): Promise<string[]>;
  /** SIGKILL, and wait for it to be gone. */
  kill(): Promise<void>;
}

/** `count` processes on one database: the first alone (it migrates the schema), then the rest together. */
export async function startNodeProcesses(count: number, databaseUrl: string, env: Record<string, string> = {}): Promise<NodeProcess[]> {
  const first = await startNodeProcess(databaseUrl, env);
  const rest = await Promise.all(Array.from({ length: count - 1 }, () => startNodeProcess(databaseUrl, env)));
  return [first, ...rest];
}

/** scripts/cluster/collab-node.ts as a process of its own, on PostgreSQL at `databaseUrl`. */
export async function startNodeProcess(databaseUrl: string, env: Record<string, string> = {}): Promise<NodeProcess> {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'scripts/cluster/collab-node.ts'], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: databaseUrl, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    createInterface({ input: proc.stdout! }).on('line', (line) => {
      const match = /^listening (\d+)$/.exec(line);
      if (match) resolve(Number(match[1]));
    });
    void exited.then(() => reject(new Error('the server process exited before listening')));
  });
  return {
    pid: proc.pid!,
    port,
    collabUrl: `ws://127.0.0.1:${port}/collab`,
    documents: async () => (await (await fetch(`http://127.0.0.1:${port}/documents`)).json()) as string[],
    async kill() {
      proc.kill('SIGKILL');
      await exited;
    },
  };
}
