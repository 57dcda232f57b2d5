#!/usr/bin/env node
// Runs a command with DATABASE_URL pointing at a throwaway PostgreSQL server: a new cluster in a
// temporary directory, on a free loopback port, stopped and deleted afterwards. For the tests that
// need PostgreSQL (`npm run test:postgres`); uses Debian's `postgresql` package (its binaries in
// /usr/lib/postgresql/<version>/bin). PostgreSQL refuses to run as root: as root, the cluster is
// made and run as the `postgres` user the package creates.
//
//   node scripts/with-postgres.mjs <command> [args…]
import { execFileSync, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [command, ...args] = process.argv.slice(2);
if (!command) {
  console.error('usage: node scripts/with-postgres.mjs <command> [args…]');
  process.exit(2);
}

function binDir() {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'postgres'))).sort((a, b) => Number(b) - Number(a)) : [];
  if (versions.length === 0) {
    console.error('with-postgres: PostgreSQL is not installed (Debian: apt-get install postgresql)');
    process.exit(2);
  }
  return join(root, versions[0], 'bin');
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const bin = binDir();
const asRoot = process.getuid?.() === 0;
const dir = mkdtempSync(join(tmpdir(), 'quorum-pg-'));
const data = join(dir, 'data');
let owner = null;
if (asRoot) {
  const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
  owner = { uid, gid };
  chownSync(dir, uid, gid);
}
const spawnOptions = owner ? { uid: owner.uid, gid: owner.gid } : {};

let server = null;
const cleanUp = () => {
  if (server && server.exitCode === null) server.kill('SIGINT');
};
process.on('exit', () => {
  cleanUp();
  rmSync(dir, { recursive: true, force: true });
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(130));

execFileSync(join(bin, 'initdb'), ['-D', data, '-U', 'quorum', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync'], { ...spawnOptions, stdio: 'ignore' });
const port = await freePort();
server = spawn(join(bin, 'postgres'), ['-D', data, '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=300'], {
  ...spawnOptions,
  stdio: ['ignore', 'ignore', 'pipe'],
});
let log = '';
server.stderr.on('data', (chunk) => (log += chunk));
const url = `postgres://quorum@127.0.0.1:${port}/postgres`;

// Ready when it accepts a connection.
const deadline = Date.now() + 60_000;
for (;;) {
  if (server.exitCode !== null) {
    console.error(`with-postgres: the server exited:\n${log}`);
    process.exit(1);
  }
  try {
    execFileSync(join(bin, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'quorum', '-d', 'postgres'], { stdio: 'ignore' });
    break;
  } catch {
    if (Date.now() > deadline) {
      console.error(`with-postgres: the server did not accept connections within a minute:\n${log}`);
      process.exit(1);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

console.error(`with-postgres: PostgreSQL ${bin.split('/').at(-2)} on ${url}`);
const child = spawn(command, args, { stdio: 'inherit', env: { ...process.env, DATABASE_URL: url }, shell: false });
child.on('exit', (code, signal) => {
  cleanUp();
  process.exitCode = code ?? (signal ? 1 : 0);
  server.once('exit', () => process.exit());
  if (server.exitCode !== null) process.exit();
});
