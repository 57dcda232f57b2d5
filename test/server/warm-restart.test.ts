import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connectProvider, type ProviderClient } from '../helpers/clients.js';
import { startServer, tempDataDir, type TestServer } from '../helpers/server.js';
import { startChildServer, type ChildServer } from '../helpers/child.js';
import { waitFor } from '../helpers/wait.js';
import Database from 'better-sqlite3';
import * as Y from 'yjs';
import { RoomRegistry } from '../../server/collab/registry.js';
import { MemoryDocumentStore } from '../../server/persistence/memory-document-store.js';
import { $createParagraphNode, $createTextNode, $getRoot } from 'lexical';
import type { ActionList, SearchResults } from '../../shared/api/index.js';
import { api, createMeeting, linkToken, setupAdmin } from './support/api.js';
import { connectNotetaker, type Notetaker } from './notes-support.js';

const LIST = 'open-documents.json';

describe('a restart keeps the open meetings open (server/collab/warm-restart.ts)', () => {
  let server: TestServer;
  const clients: ProviderClient[] = [];
  const client = (doc: string) => {
    const c = connectProvider(server.collabUrl, doc);
    clients.push(c);
    return c;
  };
  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy();
    await server.close();
  });

  async function write(doc: string, text: string): Promise<ProviderClient> {
    const c = client(doc);
    await c.synced();
    c.doc.getText('t').insert(0, text);
    await waitFor(() => server.app.collab.get(doc)?.doc.getText('t').toString() === text);
    return c;
  }

  it('has every document open at a graceful stop in memory again before anyone comes back, whole', async () => {
    server = await startServer({ openDocuments: true });
    // People are in one meeting as the server stops; the other was left a moment ago, still loaded.
    await write('in-use', 'the meeting in progress');
    const left = await write('just-left', 'a meeting everyone just left');
    left.destroy();
    server = await server.restart({ idleUnloadMs: 60_000 });
    expect(existsSync(join(server.dataDir, LIST)), 'the list is used once').toBe(false);
    expect(server.app.collab.get('in-use')?.doc.getText('t').toString()).toBe('the meeting in progress');
    expect(server.app.collab.get('just-left')?.doc.getText('t').toString()).toBe('a meeting everyone just left');
    const back = client('in-use');
    await back.synced();
    expect(back.doc.getText('t').toString()).toBe('the meeting in progress');
  });

  it('unloads a reopened document nobody comes back to, as any idle one', async () => {
    server = await startServer({ openDocuments: true });
    await write('nobody-returns', 'notes');
    server = await server.restart();
    expect(server.app.collab.get('nobody-returns')).toBeDefined();
    await waitFor(() => server.app.collab.get('nobody-returns') === undefined, { message: 'the reopened document never unloaded' });
  });

  it('starts with nothing open when the list is damaged, or names documents it does not hold', async () => {
    server = await startServer({ openDocuments: true });
    await write('kept', 'kept notes');
    await server.stop();
    writeFileSync(join(server.dataDir, LIST), '{"documents": ["kept"');
    server = await startServer({ openDocuments: true }, server.dataDir);
    expect(server.app.collab.get('kept')).toBeUndefined();
    expect(existsSync(join(server.dataDir, LIST))).toBe(false);

    await server.stop();
    writeFileSync(join(server.dataDir, LIST), JSON.stringify({ documents: ['never-written', 42, 'kept'] }));
    server = await startServer({ openDocuments: true, idleUnloadMs: 60_000 }, server.dataDir);
    expect(server.app.collab.get('never-written')).toBeUndefined();
    expect(server.app.collab.get('kept')?.doc.getText('t').toString()).toBe('kept notes');
    const reader = client('kept');
    await reader.synced();
    expect(reader.doc.getText('t').toString()).toBe('kept notes');
  });
});

describe('a crash keeps them too: the list is kept up to date while the server runs', () => {
  const dataDir = tempDataDir();
  let child: ChildServer | null = null;
  const clients: ProviderClient[] = [];
  const client = (doc: string) => {
    const c = connectProvider(child!.collabUrl, doc);
    clients.push(c);
    return c;
  };
  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy();
    if (child && child.proc.exitCode === null) {
      child.proc.kill('SIGKILL');
      await child.exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  const listed = (): string[] => {
    try {
      return (JSON.parse(readFileSync(join(dataDir, LIST), 'utf8')) as { documents: string[] }).documents;
    } catch {
      return [];
    }
  };

  it('opens the meeting in progress at a SIGKILL again before it listens, whole', async () => {
    const env = { OPEN_DOCUMENTS: 'true', REMEMBER_OPEN_EVERY_MS: '100' };
    child = await startChildServer(dataDir, env);
    const writer = client('in-progress');
    const reader = client('in-progress');
    await Promise.all([writer.synced(), reader.synced()]);
    writer.doc.getText('t').insert(0, 'typed just before the crash');
    // Relayed only once stored.
    await waitFor(() => reader.doc.getText('t').toString() === 'typed just before the crash');
    await waitFor(() => listed().includes('in-progress'), { message: 'the open meeting was never written down' });

    child.proc.kill('SIGKILL');
    await child.exited;
    for (const c of clients.splice(0)) c.destroy();
    child = await startChildServer(dataDir, env);

    const entries = child.logs.flatMap((line) => {
      try {
        return [JSON.parse(line) as { msg?: string; documents?: number }];
      } catch {
        return [];
      }
    });
    const opened = entries.findIndex((e) => e.msg === 'opened the documents that were open before the restart');
    expect(opened, 'nothing was opened before listening').toBeGreaterThanOrEqual(0);
    expect(entries[opened]!.documents).toBe(1);
    expect(opened).toBeLessThan(entries.findIndex((e) => e.msg === 'quorum listening'));
    const back = client('in-progress');
    await back.synced();
    expect(back.doc.getText('t').toString()).toBe('typed just before the crash');
  });
});

describe('a reopened meeting is read before the server listens', () => {
  let server: TestServer;
  const notetakers: Notetaker[] = [];
  afterEach(async () => {
    for (const n of notetakers.splice(0)) n.destroy();
    await server.close();
  });

  it('has its actions and search rows caught up with the notes as the server starts, before anyone is back', async () => {
    server = await startServer({ idleUnloadMs: 60_000 });
    const admin = await setupAdmin(server);
    const meeting = await createMeeting(server, admin, { title: 'Restart review' });
    const doc = meeting.sessions[0]!.doc;
    const n = connectNotetaker(server.collabUrl, doc, linkToken(meeting, 'notetaker'));
    notetakers.push(n);
    await n.synced();
    n.edit(() => {
      $getRoot().append($createParagraphNode().append($createTextNode('ACTION: @KTL draft the failover runbook, due 2030-03-18')));
    });
    const actions = async () => (await api<ActionList>(server, 'GET', `/api/meetings/${meeting.id}/actions`, { cookie: admin.cookie })).body.items;
    const notesFound = async (q: string) =>
      (await api<SearchResults>(server, 'GET', `/api/search?q=${encodeURIComponent(q)}`, { cookie: admin.cookie })).body.results.filter((r) => r.kind === 'note');
    await waitFor(async () => (await actions()).length === 1 && (await notesFound('runbook')).length > 0, { message: 'the action never reached the tracker and the index' });

    // What the database holds falls behind the notes while the server is down (as after a crash
    // between a keystroke and its pass): the action's row and the search rows are gone.
    await server.stop();
    for (const n of notetakers.splice(0)) n.destroy();
    const db = new Database(join(server.dataDir, 'quorum.db'));
    db.prepare('DELETE FROM action_items WHERE doc = ?').run(doc);
    db.prepare("DELETE FROM search_docs WHERE kind = 'note'").run();
    db.close();

    // Started, nobody connected yet: the meeting was reopened and read as the server started, not
    // a moment after it began taking the reconnecting notetakers.
    server = await startServer({ idleUnloadMs: 60_000 }, server.dataDir);
    expect(server.app.collab.get(doc)).toBeDefined();
    expect((await actions()).map((a) => a.description)).toEqual(['draft the failover runbook']);
    expect((await notesFound('runbook')).map((r) => r.sessionId)).toEqual([meeting.sessions[0]!.id]);
  });
});

describe('preparing a reopened document', () => {
  it('opens it all the same when an extension fails to, and says which', async () => {
    const doc = new Y.Doc();
    doc.getText('t').insert(0, 'notes kept over the restart');
    const store = new MemoryDocumentStore();
    store.compact('notes', Y.encodeStateAsUpdate(doc));
    const warnings: Array<Record<string, unknown>> = [];
    const logger = { debug() {}, info() {}, error() {}, warn: (fields: Record<string, unknown>) => void warnings.push(fields) };
    const registry = new RoomRegistry({ store, logger });
    const prepared: string[] = [];
    registry.useExtensions([
      { name: 'index', onReopen: async () => Promise.reject(new Error('the index is read-only')) },
      { name: 'versions', onReopen: async (room) => void prepared.push(room.name) },
    ]);
    try {
      expect(await registry.reopen('notes')).toBe(true);
      expect(registry.get('notes')?.doc.getText('t').toString()).toBe('notes kept over the restart');
      // The next extension still prepares it.
      expect(prepared).toEqual(['notes']);
      expect(warnings).toEqual([expect.objectContaining({ doc: 'notes', extension: 'index', err: 'the index is read-only' })]);
    } finally {
      await registry.close();
    }
  });
});
