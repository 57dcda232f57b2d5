// A full disk while notetakers type: the server refuses the edits it cannot store without
// poisoning the document, the writers keep them and send them again, /readyz says why, and once
// there is space everything resumes with nothing lost, also across a SIGKILL and restart.
// Also: a second server on the same data directory, and a data directory it cannot write.
//
// As root the test mounts an 8 MB tmpfs and fills it; otherwise the server runs under a file-size
// limit (ulimit -f) that is raised again afterwards (prlimit).
import { afterEach, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as Y from 'yjs';
import { connectProvider, type ProviderClient } from '../helpers/clients.js';
import { startChildServer, type ChildServer } from '../helpers/child.js';
import { tempDataDir } from '../helpers/server.js';
import { waitFor } from '../helpers/wait.js';

const isRoot = process.getuid?.() === 0;

interface Space {
  dataDir: string;
  env: Record<string, string>;
  /** Takes the remaining space away. */
  fill(server: ChildServer): void;
  /** Gives it back. */
  free(server: ChildServer): void;
  dispose(): void;
}

function tmpfsSpace(): Space {
  const mount = mkdtempSync(join(tmpdir(), 'quorum-tmpfs-'));
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=8m', 'tmpfs', mount]);
  const dataDir = join(mount, 'data');
  mkdirSync(dataDir);
  const filler = join(mount, 'filler');
  return {
    dataDir,
    env: {},
    fill() {
      const fd = openSync(filler, 'w');
      const block = Buffer.alloc(64 * 1024, 1);
      try {
        for (;;) writeSync(fd, block);
      } catch (error) {
        if ((error as { code?: string }).code !== 'ENOSPC') throw error;
      } finally {
        closeSync(fd);
      }
    },
    free() {
      rmSync(filler, { force: true });
    },
    dispose() {
      spawnSync('umount', [mount]);
      rmSync(mount, { recursive: true, force: true });
    },
  };
}

function fileSizeLimitSpace(): Space {
  const dataDir = tempDataDir();
  return {
    dataDir,
    // The server starts under a generous soft limit; fill lowers it below the files' size.
    env: {},
    fill(server) {
      execFileSync('prlimit', [`--pid=${server.proc.pid}`, '--fsize=4096:']);
    },
    free(server) {
      execFileSync('prlimit', [`--pid=${server.proc.pid}`, '--fsize=unlimited:']);
    },
    dispose() {
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function readyz(server: ChildServer): Promise<{ status: number; body: { status: string; error?: string } }> {
  const response = await fetch(`${server.url}/readyz`);
  return { status: response.status, body: (await response.json()) as { status: string; error?: string } };
}

describe('storage faults', () => {
  const clients: ProviderClient[] = [];
  let server: ChildServer | null = null;
  let space: Space | null = null;
  afterEach(async () => {
    for (const client of clients.splice(0)) client.destroy();
    if (server && server.proc.exitCode === null) {
      server.proc.kill('SIGKILL');
      await server.exited;
    }
    space?.dispose();
    space = null;
  });

  it(`${isRoot ? 'a full tmpfs' : 'a file-size limit'}: edits are refused, kept by their writers, and stored once there is space; a SIGKILL after that loses nothing`, async () => {
    space = isRoot ? tmpfsSpace() : fileSizeLimitSpace();
    server = await startChildServer(space.dataDir, { OPEN_DOCUMENTS: 'true', ...space.env });
    const open = (doc: string) => {
      const client = connectProvider(server!.collabUrl, doc);
      clients.push(client);
      return client;
    };
    const writer = open('minutes');
    const reader = open('minutes');
    await Promise.all([writer.synced(), reader.synced()]);
    const lines = (client: ProviderClient) => client.doc.getArray<string>('lines');
    const closes: Array<{ code: number; reason: string }> = [];
    writer.provider.on('connection-close', (event: CloseEvent | null) => {
      if (event) closes.push({ code: event.code, reason: event.reason });
    });

    lines(writer).push(['before the fault']);
    await waitFor(() => lines(reader).length === 1, { message: 'the first line reaches the reader' });

    space.fill(server);
    // SQLite writes into the room its write-ahead log file already has before it needs more, so
    // the first lines may still be stored: type on until the server refuses one. The writer is
    // told, retryably, why: the server cannot save.
    let typed = 0;
    const refused = () => closes.some((c) => c.code === 1013 && /cannot save/.test(c.reason));
    await waitFor(
      () => {
        if (refused()) return true;
        if (writer.provider.wsconnected) lines(writer).push([`typed while the disk is full ${typed++}`]);
        return false;
      },
      { timeout: 60_000, message: 'a retryable close that says why' },
    );
    const total = 1 + typed;
    const during = await waitFor(async () => {
      const ready = await readyz(server!);
      return ready.status === 503 ? ready : null;
    }, { message: '/readyz turns 503' });
    expect(during.body.error).toMatch(isRoot ? /disk full/ : /cannot store edits/);
    // What it could not store reached nobody: the reader lacks the refused lines.
    expect(lines(reader).length).toBeLessThan(total);
    // The writer still has all of it.
    expect(lines(writer).length).toBe(total);

    space.free(server);
    await waitFor(async () => (await readyz(server!)).status === 200, { timeout: 60_000, message: '/readyz recovers' });
    // The writer sends its edits again when it reconnects; the reader, connected all along, gets them.
    await waitFor(() => lines(reader).length === total, { timeout: 60_000, message: 'every refused line arrives once storage works' });
    lines(writer).push(['after the fault']);
    await waitFor(() => lines(reader).length === total + 1, { message: 'editing goes on' });
    const seen = lines(reader).toArray();

    // Everything anyone received is stored: it survives a SIGKILL.
    server.proc.kill('SIGKILL');
    await server.exited;
    for (const client of clients.splice(0)) client.destroy();
    server = await startChildServer(space.dataDir, { OPEN_DOCUMENTS: 'true', ...space.env });
    const late = open('minutes');
    await late.synced();
    await waitFor(() => lines(late).length === total + 1, { message: 'the restarted server has every line' });
    expect(lines(late).toArray().sort()).toEqual([...seen].sort());
    void Y;
  }, 120_000);

  it('a second server on the same data directory refuses to start, and says why', async () => {
    const dataDir = tempDataDir();
    try {
      server = await startChildServer(dataDir, { OPEN_DOCUMENTS: 'true' });
      const second = await startChildServer(dataDir, { OPEN_DOCUMENTS: 'true' }).then(
        () => null,
        (error: Error) => error.message,
      );
      expect(second).toMatch(/another Quorum server is using/);
      // The first one is unharmed.
      expect((await readyz(server)).status).toBe(200);
      // Once it has stopped (even killed), the directory can be used again.
      server.proc.kill('SIGKILL');
      await server.exited;
      server = await startChildServer(dataDir, { OPEN_DOCUMENTS: 'true' });
      expect((await readyz(server)).status).toBe(200);
    } finally {
      if (server && server.proc.exitCode === null) {
        server.proc.kill('SIGKILL');
        await server.exited;
      }
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('a data directory the server cannot write is refused at start with a clear message', async () => {
    const dataDir = tempDataDir();
    try {
      // Create the database, then make the database file (only) unwritable: the directory stays
      // writable, so SQLite opens it and only a write finds out. As root only a read-only bind
      // mount of the file stops writes.
      server = await startChildServer(dataDir, { OPEN_DOCUMENTS: 'true' });
      server.proc.kill('SIGTERM');
      await server.exited;
      server = null;
      const file = join(dataDir, 'quorum.db');
      let undo: () => void;
      if (isRoot) {
        execFileSync('mount', ['--bind', file, file]);
        execFileSync('mount', ['-o', 'remount,bind,ro', file]);
        undo = () => spawnSync('umount', [file]);
      } else {
        execFileSync('chmod', ['a-w', file]);
        undo = () => execFileSync('chmod', ['u+w', file]);
      }
      try {
        const message = await startChildServer(dataDir, { OPEN_DOCUMENTS: 'true' }).then(
          () => 'started',
          (error: Error) => error.message,
        );
        expect(message).toMatch(/cannot write to .*quorum\.db/);
      } finally {
        undo();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
