// The notes layer on a real `npm start` process: SIGTERM right after an edit still indexes it
// before exiting (shutdown brings the index up to date first), and the next start
// finds the record without anyone opening the document.

import { afterEach, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { $createParagraphNode, $createTextNode, $getRoot } from 'lexical';
import { startChildServer, type ChildServer } from '../helpers/child.js';
import { startServer, tempDataDir, type TestServer } from '../helpers/server.js';
import { waitFor } from '../helpers/wait.js';
import type { CreatedMeeting } from '../../shared/api/index.js';
import { $setActionId, newActionId } from '../../shared/notes/action-id.js';
import { connectNotetaker, type Notetaker } from './notes-support.js';

async function post<T>(url: string, body: unknown, cookie?: string): Promise<{ status: number; body: T; cookie: string | null }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as T, cookie: response.headers.get('set-cookie')?.split(';', 1)[0] ?? null };
}

describe('notes across a process shutdown', () => {
  const dataDir = tempDataDir();
  let child: ChildServer | null = null;
  let server: TestServer | null = null;
  const notetakers: Notetaker[] = [];
  afterEach(async () => {
    for (const n of notetakers.splice(0)) n.destroy();
    if (child && child.proc.exitCode === null) child.proc.kill('SIGKILL');
    await server?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('indexes the last edit before exiting on SIGTERM, and exits cleanly', async () => {
    child = await startChildServer(dataDir);
    const setup = await post<unknown>(`${child.url}/api/setup`, { email: 'a@example.org', password: 'correct horse battery', name: 'Ada' });
    expect(setup.status).toBe(201);
    const created = await post<CreatedMeeting>(
      `${child.url}/api/meetings`,
      { title: 'Shutdown', startDate: '2020-11-17', attendees: [{ name: 'Robert Lupton', handle: 'RHL' }] },
      setup.cookie!,
    );
    expect(created.status).toBe(201);
    const meeting = created.body;
    const token = meeting.links.find((l) => l.role === 'notetaker')!.token;
    const doc = meeting.sessions[0]!.doc;
    const writer = connectNotetaker(child.collabUrl, doc, token);
    const witness = connectNotetaker(child.collabUrl, doc, token);
    notetakers.push(writer, witness);
    await Promise.all([writer.synced(), witness.synced()]);
    await waitFor(() => witness.blocks().length > 0);

    const id = newActionId();
    writer.edit(() => {
      const p = $createParagraphNode().append($createTextNode('ACTION: RHL write the shutdown notes'));
      $setActionId(p, id);
      $getRoot().append(p);
    });
    // The server has applied (and stored) the edit once another client sees it; stop at once.
    await waitFor(() => witness.blocks().some((b) => b.actionId === id));
    child.proc.kill('SIGTERM');
    expect(await child.exited).toEqual({ code: 0, signal: null });
    // The shutdown ran to its end (it once stopped waiting for the checkpoint worker, and the
    // process ended with nothing left to keep it alive: exit code 0 all the same).
    expect(child.logs.some((line) => line.includes('"quorum stopped"'))).toBe(true);

    server = await startServer({}, dataDir);
    expect(await server.app.notes.store.get(id)).toMatchObject({ description: 'write the shutdown notes', meetingId: meeting.id, removed: false });
  });
});
