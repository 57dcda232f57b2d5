// The container image, exercised the only way these machines can (no container engine): the
// Dockerfile is read and its steps are performed in order in a clean directory made from the
// build context (the repository's files minus .dockerignore). Each stage's filesystem is a
// directory, so `/app` and `/data` in its instructions mean that stage's own. Package installs
// from apt are the base image's business and are skipped; everything else runs as written: the
// `npm ci`, the client build, the prune, and the server started with the image's CMD and ENV, as
// an unprivileged user standing in for the image's `node` user, until its HEALTHCHECK passes.
import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitFor } from '../helpers/wait.js';
import { freePort } from '../helpers/processes.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const isRoot = process.getuid?.() === 0;
/** The image's `node` user: here `nobody`, when the test may switch users at all. */
const RUN_AS = isRoot ? { uid: 65534, gid: 65534 } : null;

interface Instruction {
  op: string;
  args: string;
}

/** Dockerfile instructions in order, continuation lines joined and comments dropped. */
function parseDockerfile(text: string): Instruction[] {
  const joined = text.replace(/\\\n/g, ' ');
  return joined
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const [op, ...rest] = line.split(/\s+/);
      return { op: op!.toUpperCase(), args: line.slice(op!.length).trim() || rest.join(' ') };
    });
}

/** The build context: files git knows (tracked or not ignored), less what .dockerignore excludes. */
function buildContext(into: string): void {
  const ignored = readFileSync(join(ROOT, '.dockerignore'), 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' }).split('\n').filter(Boolean);
  for (const file of files) {
    const excluded = ignored.some((pattern) => (pattern.startsWith('*') ? file.endsWith(pattern.slice(1)) : file === pattern || file.startsWith(`${pattern}/`)));
    if (excluded || !existsSync(join(ROOT, file))) continue;
    mkdirSync(dirname(join(into, file)), { recursive: true });
    cpSync(join(ROOT, file), join(into, file));
  }
}

function chownTree(path: string, owner: { uid: number; gid: number }): void {
  execFileSync('chown', ['-R', `${owner.uid}:${owner.gid}`, path]);
}

describe('the container image', () => {
  const work = mkdtempSync(join(tmpdir(), 'quorum-image-'));
  chmodSync(work, 0o755);
  let server: ChildProcess | null = null;
  afterAll(async () => {
    if (server && server.exitCode === null) {
      server.kill('SIGKILL');
      await new Promise((resolve) => server!.once('exit', resolve));
    }
    rmSync(work, { recursive: true, force: true });
  });

  it('builds in a clean directory and runs as an unprivileged user with its data in the volume, healthy', async () => {
    const context = join(work, 'context');
    buildContext(context);
    const instructions = parseDockerfile(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'));
    const stages = new Map<string, string>();
    let stage = '';
    let workdir = '/';
    let user: { uid: number; gid: number } | null = null;
    let env: Record<string, string> = {};
    let cmd: string[] = [];
    let healthcheck: string | null = null;
    let volume = '';
    /** A path of the current stage's filesystem. */
    const at = (path: string, base = workdir) => join(stage, path.startsWith('/') ? path : join(base, path));
    const inStage = (command: string) => command.replace(/(^|[\s=:])\/(app|data)\b/g, (_m, lead: string, dir: string) => `${lead}${join(stage, dir)}`);

    for (const { op, args } of instructions) {
      if (op === 'FROM') {
        const [, name] = /\bAS\s+(\S+)/i.exec(args) ?? [];
        stage = join(work, `stage-${stages.size}`);
        mkdirSync(stage, { recursive: true });
        chmodSync(stage, 0o755);
        if (name) stages.set(name, stage);
        workdir = '/';
        user = null;
        env = {};
      } else if (op === 'WORKDIR') {
        workdir = args;
        mkdirSync(at(args), { recursive: true });
      } else if (op === 'ENV') {
        for (const [, key, value] of args.matchAll(/(\w+)=(\S+)/g)) env[key!] = value!;
      } else if (op === 'COPY') {
        const parts = args.split(/\s+/);
        const from = parts.find((p) => p.startsWith('--from='))?.slice('--from='.length);
        const paths = parts.filter((p) => !p.startsWith('--'));
        const dest = paths.pop()!;
        for (const source of paths) {
          const src = from ? join(stages.get(from)!, source) : join(context, source);
          const target = dest.endsWith('/') || paths.length > 1 ? join(at(dest), source === '.' ? '' : source.split('/').pop()!) : at(dest);
          cpSync(src, source === '.' ? at(dest) : target, { recursive: true });
        }
      } else if (op === 'RUN') {
        if (/^apt-get\b/.test(args)) continue; // the base image's system packages
        const command = inStage(args).replace(/\bnode:node\b/g, RUN_AS ? `${RUN_AS.uid}:${RUN_AS.gid}` : `${process.getuid?.()}:${process.getgid?.()}`);
        const result = spawnSync('bash', ['-c', command], {
          cwd: at(workdir),
          env: { ...process.env, ...env },
          encoding: 'utf8',
          ...(user ?? {}),
        });
        expect(result.status, `RUN ${args}\n${result.stdout}\n${result.stderr}`).toBe(0);
      } else if (op === 'USER') {
        user = RUN_AS;
      } else if (op === 'VOLUME') {
        volume = args;
      } else if (op === 'HEALTHCHECK') {
        healthcheck = args.replace(/^.*?\bCMD\s+/, '');
      } else if (op === 'CMD') {
        cmd = JSON.parse(args) as string[];
      }
    }

    // The image's files belong to root and are only read; the volume belongs to the user.
    const app = at('/app');
    expect(existsSync(join(app, 'dist/client/index.html'))).toBe(true);
    expect(existsSync(join(app, 'node_modules/vitest'))).toBe(false);
    expect(relative(stage, at(volume))).toBe('data');
    if (RUN_AS) chownTree(at(volume), RUN_AS);

    const port = await freePort();
    server = spawn(cmd[0]!, cmd.slice(1), {
      cwd: app,
      env: { PATH: process.env.PATH ?? '', ...env, PORT: String(port), DATA_DIR: at(volume) },
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(RUN_AS ?? {}),
    });
    const output: string[] = [];
    server.stdout!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    server.stderr!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    const healthy = () => spawnSync('bash', ['-c', healthcheck!], { env: { PATH: process.env.PATH ?? '', ...env, PORT: String(port) }, ...(RUN_AS ?? {}) }).status === 0;
    await waitFor(
      () => {
        if (server!.exitCode !== null) throw new Error(`the server exited:\n${output.join('')}`);
        return healthy();
      },
      { timeout: 120_000, interval: 250, message: 'the HEALTHCHECK passes' },
    );
    const page = await fetch(`http://127.0.0.1:${port}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root">');
    expect(existsSync(join(at(volume), 'quorum.db'))).toBe(true);
    // The CLI works inside the image too, as its user: a backup into the volume.
    const backup = spawnSync('node', ['--import', 'tsx', 'scripts/quorum.ts', 'backup', join(at(volume), 'backup.db')], {
      cwd: app,
      env: { PATH: process.env.PATH ?? '', ...env, DATA_DIR: at(volume) },
      encoding: 'utf8',
      ...(RUN_AS ?? {}),
    });
    expect(backup.status, backup.stderr).toBe(0);
    expect(backup.stderr).toMatch(/backed up/);

    // SIGTERM (docker stop) writes everything and exits cleanly.
    const exited = new Promise<number | null>((resolve) => server!.once('exit', (code) => resolve(code)));
    server.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 900_000);
});
