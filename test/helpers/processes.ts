// Small helpers for tests that run programs: a free port for one, and the CLI as a person runs it.
import { execFile } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** A TCP port nothing listens on right now (for programs that cannot be told to pick one). */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** `npm run quorum -- …` as a separate process, with extra environment. */
export function runCli(args: string[], env: Record<string, string>): Promise<CliRun> {
  return new Promise((resolve) => {
    // The tests' own DATABASE_URL (test:postgres) is for the tests, not for the CLI they run.
    execFile(process.execPath, ['--import', 'tsx', 'scripts/quorum.ts', ...args], { env: { ...process.env, DATABASE_URL: '', ...env }, cwd: ROOT }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}
