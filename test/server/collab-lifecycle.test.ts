import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { connectProvider, connectRaw, syncPayloads, type ProviderClient } from '../helpers/clients.js';
import { startServer, type TestServer } from '../helpers/server.js';
import type { Config } from '../../server/config.js';
import type { Room } from '../../server/collab/room.js';
import { waitFor } from '../helpers/wait.js';
import { CloseCode, encodeUpdate, MessageType, SyncStep } from '../../shared/protocol/index.js';

describe('collaboration: document lifecycle', () => {
  let server: TestServer;
  const clients: ProviderClient[] = [];
  /** What a test runs when a document loads, before the app's own extensions. */
  let onLoad: ((room: Room) => void | Promise<void>) | null = null;
  const start = (overrides: Partial<Config>): Promise<TestServer> =>
    startServer(overrides, undefined, { collabExtensions: [{ name: 'test', onLoad: (room) => onLoad?.(room) }] });
  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy();
    onLoad = null;
    await server.close();
  });

  /** Holds every load in `onLoad` until released; counts loads. */
  function gateLoads(): { release(): void; loads(): number; finished(): boolean } {
    let loads = 0;
    let finished = false;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    onLoad = async () => {
      loads++;
      await gate;
      finished = true;
    };
    return { release, loads: () => loads, finished: () => finished };
  }

  it('loads a stored document once for simultaneous first connections, sending only the stored state before the load finished', async () => {
    server = await start({ openDocuments: true });
    // Write some state, let it unload, so the next open really reads the database.
    const writer = connectProvider(server.collabUrl, 'slow');
    await writer.synced();
    writer.doc.getText('t').insert(0, 'stored');
    await waitFor(() => server.app.collab.get('slow')?.doc.getText('t').toString() === 'stored');
    writer.destroy();
    await waitFor(() => !server.app.collab.get('slow'), { message: 'document did not unload' });

    const gate = gateLoads();
    const gated = onLoad!;
    // A change made while loading (as seeding would) reaches the clients served early too.
    onLoad = async (room) => {
      await gated(room);
      room.doc.getText('t').insert(0, 'loaded ');
    };
    const first = connectRaw(server.collabUrl, 'slow');
    const second = connectRaw(server.collabUrl, 'slow');
    await Promise.all([first.opened, second.opened]);
    first.handshake();
    second.handshake();
    // A frame sent while loading is queued, then applied once the document is there.
    const edit = new Y.Doc();
    edit.getText('t').insert(0, 'queued ');
    first.send(encodeUpdate(Y.encodeStateAsUpdate(edit)));
    // Clients decode the stored state while the server does: one step 2 with it, nothing else.
    // (Those that were already waiting when the load began; a later one waits for the load.)
    await waitFor(() => first.messages.length > 0 || second.messages.length > 0);
    await new Promise((resolve) => setTimeout(resolve, 150));
    for (const client of [first, second]) {
      if (client.messages.length === 0) continue;
      expect(client.messages.map((m) => [m.type, 'step' in m ? m.step : null])).toEqual([[MessageType.Sync, SyncStep.Step2]]);
      const early = new Y.Doc();
      Y.applyUpdate(early, syncPayloads(client)[0]!);
      expect(early.getText('t').toString()).toBe('stored');
    }
    expect(gate.finished()).toBe(false);

    gate.release();
    await waitFor(() => gate.finished());
    expect(gate.loads()).toBe(1);
    // Both end with everything: what was stored, changed during the load, and sent while queued
    // (the first holds its own edit; it is not sent back to it).
    for (const client of [first, second]) {
      await waitFor(() => {
        const view = new Y.Doc();
        if (client === first) Y.applyUpdate(view, Y.encodeStateAsUpdate(edit));
        for (const payload of syncPayloads(client)) Y.applyUpdate(view, payload);
        const text = view.getText('t').toString();
        return ['stored', 'loaded ', 'queued '].every((part) => text.includes(part)) && text.length === 20;
      });
    }
    first.close();
    second.close();
  });

  it('a long stored document: clients joining while it loads get all of it once, with what was sent and changed meanwhile', async () => {
    server = await start({ openDocuments: true });
    // Over the size at which a load waits for joiners' step 1 and lets the answers leave before
    // decoding (RoomRegistry.load): 20,000 separate items, inserted in front of each other.
    const writer = connectProvider(server.collabUrl, 'long');
    await writer.synced();
    const text = writer.doc.getText('t');
    writer.doc.transact(() => {
      for (let i = 0; i < 20_000; i++) text.insert(0, String.fromCharCode(97 + (i % 26)));
    });
    expect(Y.encodeStateAsUpdate(writer.doc).byteLength).toBeGreaterThan(64 * 1024);
    const written = text.toString();
    await waitFor(() => server.app.collab.get('long')?.doc.getText('t').toString() === written);
    writer.destroy();
    await waitFor(() => !server.app.collab.get('long'), { message: 'document did not unload' });

    onLoad = (room) => {
      room.doc.getText('t').insert(0, 'loaded ');
    };
    const clients = [connectRaw(server.collabUrl, 'long'), connectRaw(server.collabUrl, 'long'), connectRaw(server.collabUrl, 'long')];
    await Promise.all(clients.map((client) => client.opened));
    const edit = new Y.Doc();
    edit.getText('t').insert(0, 'queued ');
    for (const client of clients) client.handshake();
    clients[0]!.send(encodeUpdate(Y.encodeStateAsUpdate(edit)));
    for (const client of clients) {
      await waitFor(() => {
        const view = new Y.Doc();
        if (client === clients[0]) Y.applyUpdate(view, Y.encodeStateAsUpdate(edit));
        for (const payload of syncPayloads(client)) Y.applyUpdate(view, payload);
        const seen = view.getText('t').toString();
        return seen.replace('loaded ', '').replace('queued ', '') === written;
      }, { message: 'a joiner did not get the whole document' });
      // The whole document was sent to it at most once.
      const bytes = syncPayloads(client).reduce((sum, payload) => sum + payload.byteLength, 0);
      expect(bytes).toBeLessThan(1.5 * Y.encodeStateAsUpdate(server.app.collab.get('long')!.doc).byteLength);
      client.close();
    }
  });

  it('sends nothing for a new document before its load (and seeding) finished', async () => {
    server = await start({ openDocuments: true });
    const gate = gateLoads();
    const client = connectRaw(server.collabUrl, 'brand-new');
    await client.opened;
    client.handshake();
    await waitFor(() => gate.loads() === 1);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(client.messages).toHaveLength(0);
    gate.release();
    await waitFor(() => syncPayloads(client).length >= 1);
    client.close();
  });

  it('closes clients sent a stored row the server then cannot read, and serves them what it could read on reconnect', async () => {
    server = await start({ openDocuments: true });
    // A damaged row as the only stored data: sent early (nothing to merge), then it fails to apply.
    const doc = new Y.Doc();
    doc.getText('t').insert(0, 'a longer piece of text that will not decode');
    const damaged = Y.encodeStateAsUpdate(doc).slice();
    damaged[0] = 0x7f;
    server.app.db.prepare('INSERT INTO document_updates (doc, id, data, created_at) VALUES (?, (SELECT coalesce(max(id), 0) + 1 FROM document_updates), ?, ?)').run('damaged', damaged, Date.now());

    const client = connectRaw(server.collabUrl, 'damaged');
    let closed: { code: number; reason: string } | null = null;
    void client.closed.then((close) => (closed = close));
    await client.opened;
    client.handshake();
    // A client whose step 1 came in while the row was at hand was sent it before the server
    // found it unreadable: it is closed, to come back. One whose step 1 came later is served
    // what could be read. Which one it is depends on when its step 1 arrives.
    const outcome = await waitFor(() => {
      if (closed) return 'closed';
      try {
        const view = new Y.Doc();
        for (const payload of syncPayloads(client)) Y.applyUpdate(view, payload);
        return syncPayloads(client).length > 0 && view.getText('t').toString() === '' ? 'served' : null;
      } catch {
        return null;
      }
    });
    if (outcome === 'closed') expect(closed).toEqual({ code: 1011, reason: 'document loaded with errors; reconnect' });
    else client.close();
    // The room stays loaded with what could be read (nothing), and a reconnect gets exactly that.
    const again = connectProvider(server.collabUrl, 'damaged');
    clients.push(again);
    await again.synced();
    expect(again.doc.getText('t').toString()).toBe('');
  });

  it('unloads every document after the idle delay once its clients have gone', async () => {
    server = await start({ openDocuments: true, idleUnloadMs: 100 });
    for (let batch = 0; batch < 4; batch++) {
      const opened = Array.from({ length: 50 }, (_, i) => connectProvider(server.collabUrl, `doc-${batch}-${i}`));
      await Promise.all(opened.map((c) => c.synced()));
      opened.forEach((c, i) => c.doc.getText('t').insert(0, `content ${i}`));
      await waitFor(() => opened.every((c, i) => server.app.collab.get(`doc-${batch}-${i}`)?.doc.getText('t').length));
      for (const c of opened) c.destroy();
    }
    expect(server.app.collab.stats().documents).toBeGreaterThan(0);
    await waitFor(() => server.app.collab.stats().documents === 0, { message: 'documents stayed loaded', timeout: 60_000 });
    // Unloading wrote them: every one of the 200 reopens with its content.
    const row = server.app.db.prepare('SELECT COUNT(*) AS n FROM documents').get() as { n: number };
    expect(row.n).toBe(200);
    const back = connectProvider(server.collabUrl, 'doc-3-49');
    clients.push(back);
    await back.synced();
    expect(back.doc.getText('t').toString()).toBe('content 49');
  });

  it('keeps a document loaded while anyone is connected', async () => {
    server = await start({ openDocuments: true, idleUnloadMs: 50 });
    const a = connectProvider(server.collabUrl, 'busy');
    const b = connectProvider(server.collabUrl, 'busy');
    clients.push(a, b);
    await Promise.all([a.synced(), b.synced()]);
    a.destroy();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(server.app.collab.get('busy')).toBeDefined();
    b.doc.getText('t').insert(0, 'still here');
    await waitFor(() => server.app.collab.get('busy')?.doc.getText('t').toString() === 'still here');
  });

  async function gatedLoad(): Promise<() => void> {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    onLoad = () => gate;
    return release;
  }

  it('closes connections that are still waiting for their document when their access is revoked', async () => {
    server = await start({ openDocuments: true });
    const release = await gatedLoad();
    const waiting = connectRaw(server.collabUrl, 'loading');
    await waiting.opened;
    waiting.handshake();
    await waitFor(() => server.app.collab.closeWhere((_grant, doc) => doc === 'loading', CloseCode.Forbidden, 'revoked') === 1);
    const closed = await waiting.closed;
    expect(closed.code).toBe(CloseCode.Forbidden);
    release();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(waiting.messages).toHaveLength(0);
  });

  it('makes a waiting connection read-only before it joins', async () => {
    server = await start({ openDocuments: true });
    const release = await gatedLoad();
    const waiting = connectRaw(server.collabUrl, 'loading');
    await waiting.opened;
    waiting.handshake();
    await waitFor(() => server.app.collab.setReadOnlyWhere((_grant, doc) => doc === 'loading', true, 'meeting closed') === 1);
    release();
    await waitFor(() => syncPayloads(waiting).length > 0);
    const edit = new Y.Doc();
    edit.getText('t').insert(0, 'sneaky');
    waiting.send(encodeUpdate(Y.encodeStateAsUpdate(edit)));
    await waitFor(() => waiting.messages.some((m) => m.type === MessageType.Auth));
    expect(server.app.collab.get('loading')!.doc.getText('t').toString()).toBe('');
    waiting.close();
  });

  it('discards a deleted document without writing it back', async () => {
    server = await start({ openDocuments: true, idleUnloadMs: 50 });
    const writer = connectProvider(server.collabUrl, 'doomed');
    await writer.synced();
    writer.doc.getText('t').insert(0, 'to be deleted');
    await waitFor(() => server.app.collab.get('doomed')?.doc.getText('t').length);
    const closes: number[] = [];
    writer.provider.on('connection-close', (event) => event && closes.push(event.code));
    server.app.db.prepare('DELETE FROM document_updates WHERE doc = ?').run('doomed');
    server.app.collab.discard('doomed', CloseCode.NotFound, 'deleted');
    await waitFor(() => closes.includes(CloseCode.NotFound));
    expect(server.app.collab.get('doomed')).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 150));
    const rows = server.app.db.prepare("SELECT (SELECT COUNT(*) FROM documents WHERE name = 'doomed') + (SELECT COUNT(*) FROM document_updates WHERE doc = 'doomed') AS n").get() as { n: number };
    expect(rows.n).toBe(0);
    writer.destroy();
  });
});
