/**
 * HAProxy in front of cluster processes (scripts/deploy/haproxy-config.ts), run in the
 * foreground for the cluster tests and bench: started in a temporary directory on a free port,
 * ready once it answers `/readyz`, with its stats socket for servers' states.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { haproxyConfig } from '../deploy/haproxy-config.js';
import { freePort } from '../../test/helpers/processes.js';

export interface HaproxyProcess {
  pid: number;
  port: number;
  /** ws://…/collab through HAProxy. */
  collabUrl: string;
  /** A server's state (UP, DOWN, …) in the collab backend; servers are named q1, q2, … in order. */
  serverStatus(name: string): Promise<string | null>;
  stop(): void;
}

export async function startHaproxy(ports: number[], options: { checkIntervalMs?: number; maxConnections?: number } = {}): Promise<HaproxyProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'quorum-haproxy-'));
  const port = await freePort();
  const statsSocket = join(dir, 'haproxy.sock');
  const config = join(dir, 'haproxy.cfg');
  writeFileSync(
    config,
    haproxyConfig({ listen: `127.0.0.1:${port}`, servers: ports.map((p, i) => ({ name: `q${i + 1}`, address: `127.0.0.1:${p}` })), statsSocket, ...options }),
  );
  const proc = spawn('haproxy', ['-db', '-f', config], { stdio: ['ignore', 'ignore', 'inherit'] });
  const stop = (): void => {
    proc.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (proc.exitCode !== null) {
      stop();
      throw new Error(`haproxy exited (${proc.exitCode})`);
    }
    if ((await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => null))?.ok) break;
    if (Date.now() > deadline) {
      stop();
      throw new Error('HAProxy did not answer within a minute');
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    pid: proc.pid!,
    port,
    collabUrl: `ws://127.0.0.1:${port}/collab`,
    serverStatus: (name) => serverStatus(statsSocket, name),
    stop,
  };
}

function serverStatus(socketPath: string, name: string): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const socket = createConnection(socketPath);
    let out = '';
    socket.on('data', (chunk) => (out += chunk));
    socket.on('error', reject);
    socket.on('end', () => {
      const [header, ...rows] = out.split('\n');
      const columns = (header ?? '').replace(/^# /, '').split(',');
      const row = rows.map((line) => line.split(',')).find((fields) => fields[0] === 'collab' && fields[1] === name);
      resolve(row ? (row[columns.indexOf('status')] ?? null) : null);
    });
    socket.end('show stat\n');
  });
}
