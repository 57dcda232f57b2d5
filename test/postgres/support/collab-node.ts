/**
 * The collaboration core on PostgreSQL with a real WebSocket transport: one "server" of a
 * cluster, everyone a notetaker (access control is not what these tests are about). It answers
 * `/readyz` as Quorum does (503 while it cannot store edits) and `/documents` with the names it
 * has loaded. Run as a script it is a process of its own, to be killed: it prints
 * `listening <port>` once ready.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RoomRegistry } from '../../../server/collab/registry.js';
import { attachWebSocketTransport } from '../../../server/collab/ws-transport.js';
import type { CollabLimits } from '../../../server/collab/types.js';
import { PostgresDocumentStore } from '../../../server/persistence/postgres-document-store.js';

export interface CollabNode {
  collabUrl: string;
  registry: RoomRegistry;
  store: PostgresDocumentStore;
  /** Writes every document, releases them, and stops. */
  close(): Promise<void>;
}

const quiet = { debug() {}, info() {}, warn() {}, error() {} };

export async function startCollabNode(databaseUrl: string, limits: Partial<CollabLimits> = {}): Promise<CollabNode> {
  const store = await PostgresDocumentStore.open({ url: databaseUrl, poolSize: 4 });
  const registry = new RoomRegistry({ store, logger: quiet, limits: { idleUnloadMs: 100, ...limits } });
  const server = createServer((request, response) => {
    const body = (status: number, value: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(value));
    };
    if (request.url === '/readyz') body(registry.storageFailure ? 503 : 200, { status: registry.storageFailure ? 'unavailable' : 'ready' });
    else if (request.url === '/documents') body(200, registry.loadedNames());
    else body(404, { error: 'not found' });
  });
  const transport = attachWebSocketTransport(server, {
    registry,
    logger: quiet,
    authorize: async () => ({ ok: true, grant: { readOnly: false } }),
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    collabUrl: `ws://127.0.0.1:${port}/collab`,
    registry,
    store,
    async close() {
      transport.close();
      await registry.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await store.close();
    },
  };
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/'))) {
  const node = await startCollabNode(process.env.DATABASE_URL!);
  console.log(`listening ${new URL(node.collabUrl).port}`);
}
