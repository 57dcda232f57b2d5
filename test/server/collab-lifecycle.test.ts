import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { connectProvider, connectRaw, syncPayloads, type ProviderClient } from '../helpers/clients.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { waitFor } from '../helpers/wait.js';
import { encodeUpdate } from '../../shared/protocol/index.js';

describe('collaboration: document lifecycle', () => {
  let server: TestServer;
  const clients: ProviderClient[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy();
    await server.close();
  });

  it('loads a document once for simultaneous first connections and sends nothing before the load finished', async () => {
    server = await startServer({ openDocuments: true });
    // Write some state, let it unload, so the next open really reads the database.
    const writer = connectProvider(server.collabUrl, 'slow');
    await writer.synced();
    writer.doc.getText('t').insert(0, 'stored');
    await waitFor(() => server.app.collab.get('slow')?.doc.getText('t').toString() === 'stored');
    writer.destroy();
    await waitFor(() => !server.app.collab.get('slow'), { message: 'document did not unload' });

    let loads = 0;
    let loadFinishedAt = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const previous = server.app.collabHooks.onLoad;
    server.app.collabHooks.onLoad = async (room) => {
      loads++;
      await gate;
      await previous?.(room);
      loadFinishedAt = Date.now();
    };

    const first = connectRaw(server.collabUrl, 'slow');
    const second = connectRaw(server.collabUrl, 'slow');
    await Promise.all([first.opened, second.opened]);
    first.handshake();
    // A frame sent while loading is queued, then applied once the document is there.
    const edit = new Y.Doc();
    edit.getText('t').insert(0, 'queued ');
    first.send(encodeUpdate(Y.encodeStateAsUpdate(edit)));
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(first.messages).toHaveLength(0);
    expect(second.messages).toHaveLength(0);

    release();
    await waitFor(() => syncPayloads(second).length >= 1);
    expect(loads).toBe(1);
    expect(loadFinishedAt).toBeGreaterThan(0);
    const view = new Y.Doc();
    await waitFor(() => {
      for (const payload of syncPayloads(second)) Y.applyUpdate(view, payload);
      return view.getText('t').toString().includes('stored') && view.getText('t').toString().includes('queued');
    });
    first.close();
    second.close();
  });

  it('unloads every document after the idle delay once its clients have gone', async () => {
    server = await startServer({ openDocuments: true, idleUnloadMs: 100 });
    for (let batch = 0; batch < 4; batch++) {
      const opened = Array.from({ length: 50 }, (_, i) => connectProvider(server.collabUrl, `doc-${batch}-${i}`));
      await Promise.all(opened.map((c) => c.synced()));
      opened.forEach((c, i) => c.doc.getText('t').insert(0, `content ${i}`));
      await waitFor(() => opened.every((c, i) => server.app.collab.get(`doc-${batch}-${i}`)?.doc.getText('t').length));
      for (const c of opened) c.destroy();
    }
    expect(server.app.collab.stats().documents).toBeGreaterThan(0);
    await waitFor(() => server.app.collab.stats().documents === 0, { message: 'documents stayed loaded', timeout: 15_000 });
    // Unloading wrote them: every one of the 200 reopens with its content.
    const row = server.app.db.prepare('SELECT COUNT(*) AS n FROM documents').get() as { n: number };
    expect(row.n).toBe(200);
    const back = connectProvider(server.collabUrl, 'doc-3-49');
    clients.push(back);
    await back.synced();
    expect(back.doc.getText('t').toString()).toBe('content 49');
  });

  it('keeps a document loaded while anyone is connected', async () => {
    server = await startServer({ openDocuments: true, idleUnloadMs: 50 });
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
});
