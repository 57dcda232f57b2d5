import { afterEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import type { DocumentStore } from '../../server/persistence/document-store.js';
import { WsCollabSocket } from '../../server/collab/ws-socket.js';
import { connectProvider, type ProviderClient } from '../helpers/clients.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { waitFor } from '../helpers/wait.js';

const logRows = (server: TestServer, doc: string) =>
  (server.app.db.prepare('SELECT COUNT(*) AS n FROM document_updates WHERE doc = ?').get(doc) as { n: number }).n;

describe('collaboration: durable storage', () => {
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

  async function type(doc: string, words: number): Promise<string> {
    const c = client(doc);
    await c.synced();
    for (let i = 0; i < words; i++) c.doc.getText('t').insert(c.doc.getText('t').length, `w${i} `);
    c.doc.getMap('m').set('words', words);
    const expected = c.doc.getText('t').toString();
    await waitFor(() => server.app.collab.get(doc)?.doc.getText('t').toString() === expected);
    return expected;
  }

  it('appends every update to the log before relaying it', async () => {
    server = await startServer({ openDocuments: true, compactThreshold: 10_000 });
    const a = client('log');
    const b = client('log');
    await Promise.all([a.synced(), b.synced()]);
    // The clients share the server's process, so they cannot see the order; the server's own
    // store and sockets can: both are watched, and each step is written down as it happens.
    const steps: string[] = [];
    const store = (server.app.collab as unknown as { store: DocumentStore }).store;
    const append = store.append.bind(store);
    vi.spyOn(store, 'append').mockImplementation((name, update) => {
      append(name, update);
      steps.push('stored');
    });
    const send = WsCollabSocket.prototype.send;
    vi.spyOn(WsCollabSocket.prototype, 'send').mockImplementation(function (this: WsCollabSocket, data) {
      // messageSync (0), messageYjsUpdate (2): a relayed edit.
      if (data[0] === 0 && data[1] === 2) steps.push('relayed');
      send.call(this, data);
    });
    let received = false;
    b.doc.on('update', (_update: Uint8Array, origin: unknown) => {
      if (origin === b.provider) received = true;
    });
    a.doc.getText('t').insert(0, 'x');
    await waitFor(() => received);
    vi.restoreAllMocks();
    expect(steps[0]).toBe('stored');
    expect(steps).toContain('relayed');
  });

  it('keeps every document intact across a restart, before compaction', async () => {
    server = await startServer({ openDocuments: true, compactThreshold: 10_000 });
    const one = await type('restart-one', 30);
    const two = await type('restart-two', 5);
    expect(logRows(server, 'restart-one')).toBeGreaterThan(30);
    for (const c of clients.splice(0)) c.destroy();
    server = await server.restart();
    for (const [doc, expected] of [['restart-one', one], ['restart-two', two]] as const) {
      const c = client(doc);
      await c.synced();
      expect(c.doc.getText('t').toString()).toBe(expected);
    }
  });

  it('compacts the log past the threshold in one merged state, and restarts intact after it', async () => {
    server = await startServer({ openDocuments: true, compactThreshold: 20, idleUnloadMs: 60_000 });
    const expected = await type('compacted', 55);
    await waitFor(() => logRows(server, 'compacted') < 20, { message: 'log not compacted' });
    const state = server.app.db.prepare('SELECT state FROM documents WHERE name = ?').get('compacted') as { state: Buffer };
    const fromState = new Y.Doc();
    Y.applyUpdate(fromState, state.state);
    expect(fromState.getText('t').toString().length).toBeGreaterThan(0);

    for (const c of clients.splice(0)) c.destroy();
    server = await server.restart();
    const c = client('compacted');
    await c.synced();
    expect(c.doc.getText('t').toString()).toBe(expected);
    expect(c.doc.getMap('m').get('words')).toBe(55);
  });

  it('writes a merged state and empties the log when a document unloads', async () => {
    server = await startServer({ openDocuments: true, compactThreshold: 10_000, idleUnloadMs: 50 });
    const expected = await type('unload', 12);
    for (const c of clients.splice(0)) c.destroy();
    await waitFor(() => !server.app.collab.get('unload'));
    expect(logRows(server, 'unload')).toBe(0);
    const c = client('unload');
    await c.synced();
    expect(c.doc.getText('t').toString()).toBe(expected);
  });
});
