/**
 * The collaboration core alone on PostgreSQL, with a real WebSocket transport: one process of a
 * cluster, for the cluster tests (test/postgres) and `npm run bench:cluster`, until the whole
 * service runs on PostgreSQL. A connection's grant comes from its query
 * (`?meeting=&link=&user=&role=`, a follower read-only), standing in for Quorum's share links and
 * sessions. It answers `/readyz` as Quorum does (503 while it cannot store edits) and
 * `/documents` with the names it has loaded. Run as a script it is a process of its own, to be
 * killed: it prints `listening <port>` once ready (`PORT`, `HANDOFF_AFTER_MS`, `DATABASE_URL`).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RoomRegistry } from '../../server/collab/registry.js';
import { attachWebSocketTransport } from '../../server/collab/ws-transport.js';
import type { CollabLimits } from '../../server/collab/types.js';
import { PostgresDocumentStore } from '../../server/persistence/postgres-document-store.js';
import { applyAccessEvent, isAccessEvent } from '../../server/cluster/events.js';
import { PostgresEventBus } from '../../server/cluster/postgres-events.js';
import { CloseCode } from '../../shared/protocol/index.js';

export interface CollabNode {
  collabUrl: string;
  registry: RoomRegistry;
  store: PostgresDocumentStore;
  /** Access changes, applied here and sent to every other node. */
  events: PostgresEventBus;
  /** Writes every document, releases them, and stops. */
  close(): Promise<void>;
}

const quiet = { debug() {}, info() {}, warn() {}, error() {} };

export async function startCollabNode(databaseUrl: string, limits: Partial<CollabLimits> = {}, port = 0): Promise<CollabNode> {
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
    authorize: async (request) => {
      const query = new URL(request.url ?? '/', 'http://node').searchParams;
      const scope = { meetingId: query.get('meeting') ?? undefined, linkId: query.get('link') ?? undefined, userId: query.get('user') ?? undefined, role: query.get('role') ?? 'notetaker' };
      return { ok: true, grant: { readOnly: scope.role === 'follower', scope } };
    },
  });
  // The collaboration core alone: no notes layer, no document commands; access events only.
  const events = await PostgresEventBus.open(databaseUrl, (event) => (isAccessEvent(event) ? applyAccessEvent(registry, event) : 0), quiet, () =>
    registry.closeWhere(() => true, CloseCode.TryAgainLater, 'access may have changed while this server could not hear the others; reconnecting'),
  );
  registry.onOwnedElsewhere = (doc) => events.publish({ type: 'document-wanted', doc });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const address = server.address() as AddressInfo;
  return {
    collabUrl: `ws://127.0.0.1:${address.port}/collab`,
    registry,
    store,
    events,
    async close() {
      await events.close();
      transport.close();
      await registry.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await store.close();
    },
  };
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/'))) {
  const handoffAfterMs = process.env.HANDOFF_AFTER_MS ? Number(process.env.HANDOFF_AFTER_MS) : undefined;
  const node = await startCollabNode(process.env.DATABASE_URL!, handoffAfterMs === undefined ? {} : { handoffAfterMs }, Number(process.env.PORT ?? 0));
  console.log(`listening ${new URL(node.collabUrl).port}`);
}
