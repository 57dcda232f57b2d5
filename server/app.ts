import Fastify, { type FastifyInstance } from 'fastify';
import type { Config } from './config.js';
import { loggerOptions } from './logger.js';
import type { Db } from './db/database.js';
import type { Sql } from './db/sql/index.js';
import { openStorage, StorageError, type Storage } from './db/storage.js';
import { lockDataDir } from './db/data-dir-lock.js';
import { linkSealerFor, sealerWithKey, type LinkSealer } from './meetings/link-sealer.js';
import { AttachmentStore } from './attachments/store.js';
import { databaseBytes, fileBytes } from './attachments/bytes.js';
import type { AnyDocumentStore } from './persistence/document-store.js';
import { RoomRegistry } from './collab/registry.js';
import { keepRememberingOpenDocuments, rememberOpenDocuments, reopenDocuments } from './collab/warm-restart.js';
import type { CollabExtension } from './collab/extension.js';
import { attachWebSocketTransport, closeIdleHandshakes, type Authorization } from './collab/ws-transport.js';
import type { IncomingMessage } from 'node:http';
import { healthRoutes } from './routes/health.js';
import { metricsRoutes } from './routes/metrics.js';
import { createMetrics } from './metrics.js';
import { errorHandler } from './plugins/errors.js';
import { allowedHosts, httpHardening, isAllowedHost } from './plugins/http-hardening.js';
import { registerAuth } from './plugins/auth.js';
import { createCollabAccess } from './plugins/collab-access.js';
import { clientAddressOf, proxyTrust } from './plugins/client-address.js';
import { registerOpenApi } from './routes/openapi.js';
import { authRoutes } from './routes/auth.js';
import { meetingRoutes } from './routes/meetings.js';
import { linkRoutes } from './routes/links.js';
import { proposalRoutes } from './routes/proposals.js';
import { attachmentRoutes } from './routes/attachments.js';
import { announceClientBuild, staticRoutes } from './routes/static.js';
import { actionRoutes } from './routes/actions.js';
import { exportRoutes } from './routes/exports.js';
import { versionRoutes } from './routes/versions.js';
import { searchRoutes } from './routes/search.js';
import { importRoutes } from './routes/import.js';
import { setUpNotes } from './notes/index.js';
import { applyAccessEvent, applyMeetingChange, isAccessEvent, LocalEventBus, type ClusterEvent, type EventBus } from './cluster/events.js';
import { laterMeetingDocs } from './tracker/action-items.js';
import { PostgresEventBus } from './cluster/postgres-events.js';
import { DocumentCommands } from './cluster/document-commands.js';
import { CloseCode } from '../shared/protocol/index.js';

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
    /** The embedded SQLite connection; reading it throws when the data is in PostgreSQL. */
    db: Db;
    /** The query layer (db/sql): SQLite's connection or a PostgreSQL pool (DATABASE_URL). */
    sql: Sql;
    /** The update log of every collaborative document (the store the collaboration core writes to). */
    documents: AnyDocumentStore;
    collab: RoomRegistry;
    /** Runs changes of a document made from outside its clients where it is loaded (cluster/document-commands.ts). */
    commands: DocumentCommands;
    /** Where routes publish access changes for live connections (cluster/access-events.ts). */
    events: EventBus;
    /** Seals share-link tokens so their owner can copy the address later (meetings/link-sealer.ts). */
    linkSealer: LinkSealer;
    /** Files and links attached to agenda items (attachments/store.ts). */
    attachments: AttachmentStore;
    /** Decides who may open a collaboration document and whether they may write. */
    collabAccess: { authorize(request: IncomingMessage, docName: string): Promise<Authorization> };
  }
}

/** The server cannot run with this data directory; the message says why, for the operator. */
export class StartupError extends Error {}

export interface BuildOptions {
  /** Replaces the configured pino logger, e.g. `false` in tests. */
  logger?: boolean;
  /** Run first on every document, before the app's own (tests hold a load open with one). */
  collabExtensions?: CollabExtension[];
  /**
   * The clock the login throttle reads (`Date.now`). Tests stop it: on a busy machine a hundred
   * logins can take longer than the throttle's delay, which would then have passed mid-test.
   */
  loginClock?: () => number;
  /** How often every socket is pinged (30 s by default); tests lengthen it, so that only what they show drops a silent socket. */
  heartbeatMs?: number;
}

/** Builds the whole service without listening: `npm start` and every test use this one factory. */
export async function buildApp(config: Config, options: BuildOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger === false ? false : loggerOptions(config),
    bodyLimit: 2 * 1024 * 1024,
    trustProxy: proxyTrust(config.trustProxy),
    forceCloseConnections: true,
  });
  app.decorate('config', config);

  // Exactly one server per data directory, and one that can write there, or none at all.
  const lock = lockDataDir(config.dataDir);
  let storage: Storage;
  try {
    storage = await openStorage(config, (error) => app.log.warn({ err: error.message }, 'WAL checkpoints moved back to the main thread'));
  } catch (error) {
    lock.release();
    throw error instanceof StorageError ? new StartupError(error.message) : error;
  }
  const { sql, documents: store } = storage;
  const sqlite = storage.sqlite;
  app.decorate('db', {
    getter(): Db {
      if (!sqlite) throw new Error('this server keeps its data in PostgreSQL (DATABASE_URL): there is no SQLite database');
      return sqlite.db;
    },
  });
  app.decorate('sql', sql);
  // (A getter: Fastify's typing cannot take a union value here.)
  app.decorate('documents', { getter: (): AnyDocumentStore => store });
  // Several processes share a database, not a DATA_DIR: their files' bytes go to the database.
  app.decorate('attachments', new AttachmentStore(sql.db, sql.dialect === 'postgres' ? databaseBytes(sql.db) : fileBytes(config.dataDir)));
  try {
    app.decorate('linkSealer', config.linkKey ? sealerWithKey(Buffer.from(config.linkKey, 'base64')) : linkSealerFor(config.dataDir));
  } catch (error) {
    await storage.close();
    lock.release();
    throw new StartupError(`cannot read or create the share-link key in ${config.dataDir}: ${(error as Error).message}`);
  }

  const metrics = config.metrics ? createMetrics(sqlite) : null;
  const registry = new RoomRegistry({
    store,
    ...(metrics ? { observer: metrics.collab } : {}),
    logger: app.log.child({ component: 'collab' }),
    limits: {
      maxFrameBytes: config.maxFrameBytes,
      maxBufferedBytes: config.maxBufferedBytes,
      idleUnloadMs: config.idleUnloadMs,
      compactThreshold: config.compactThreshold,
      keepAliveMs: config.keepAliveMs,
      maxBufferedTotalBytes: config.maxBufferedTotalBytes,
      maxDocumentBytes: config.maxDocumentBytes,
      maxAwarenessBytes: config.maxAwarenessBytes,
      awarenessPerSecond: config.awarenessPerSecond,
    },
  });
  app.decorate('collab', registry);
  let commands: DocumentCommands | null = null;
  const applyHere = (event: ClusterEvent): number => {
    if (isAccessEvent(event)) return applyAccessEvent(registry, event);
    if (event.type === 'meeting-changed') return applyMeetingChange(registry, event);
    if (event.type === 'past-actions-changed') {
      void laterMeetingDocs(app.sql.db, event.meetingId, event.formerPlace)
        .then((docs) => registry.broadcast(docs, { type: 'past-actions' }))
        .catch((error: Error) => app.log.warn({ err: error.message, meetingId: event.meetingId }, 'could not tell the later meetings of changed past actions'));
      return 0;
    }
    if (event.type !== 'actions-changed') return commands?.receive(event) ?? 0;
    // The notes layer exists by the time any event arrives.
    void app.notes.actionsChangedElsewhere(event).catch((error: Error) => app.log.warn({ err: error.message, doc: event.doc }, 'could not pass on actions changed elsewhere'));
    return 0;
  };
  if (config.databaseUrl) {
    // Other processes share the database: access changes and requests for documents owned
    // elsewhere travel over LISTEN/NOTIFY (cluster/postgres-events.ts).
    let events: PostgresEventBus;
    try {
      events = await PostgresEventBus.open(config.databaseUrl, applyHere, app.log.child({ component: 'events' }), () =>
        registry.closeWhere(() => true, CloseCode.TryAgainLater, 'access may have changed while this server could not hear the others; reconnecting'),
      );
    } catch (error) {
      await storage.close();
      lock.release();
      throw new StartupError(`cannot listen for the other servers' changes on PostgreSQL: ${(error as Error).message}`);
    }
    registry.onOwnedElsewhere = (doc) => events.publish({ type: 'document-wanted', doc });
    app.decorate('events', events);
  } else {
    app.decorate('events', new LocalEventBus(applyHere));
  }
  commands = new DocumentCommands(config.databaseUrl ? (event) => void app.events.publish(event) : null, (doc) => registry.get(doc) !== undefined);
  app.decorate('commands', commands);
  metrics?.watch(registry);
  // What runs on each document besides the core, in order: the caller's own, then the notes
  // layer (seeding a new session's agenda, then indexing its actions). Access is decided before
  // a connection reaches the core (collabAccess, below).
  registry.useExtensions([...(options.collabExtensions ?? []), ...setUpNotes(app, registry, metrics?.notes)]);
  // Session cookie or share token decides who may open a meeting's documents; see plugins/collab-access.ts.
  app.decorate('collabAccess', createCollabAccess(app));

  closeIdleHandshakes(app.server, config.handshakeTimeoutMs);
  const hosts = allowedHosts(config);
  const transport = attachWebSocketTransport(app.server, {
    registry,
    maxConnectionsPerAddress: config.maxConnectionsPerAddress,
    maxConnectionsPerCredential: config.maxConnectionsPerCredential,
    addressOf: clientAddressOf(proxyTrust(config.trustProxy)),
    allowHost: (request) => isAllowedHost(request.headers.host, hosts),
    logger: app.log.child({ component: 'ws' }),
    authorize: (request, docName) => app.collabAccess.authorize(request, docName),
    ...(options.heartbeatMs !== undefined ? { heartbeatMs: options.heartbeatMs } : {}),
  });

  app.setErrorHandler(errorHandler);
  // Before the routes: a hook reaches only the routes declared after it.
  if (config.serveClient) announceClientBuild(app, config.clientDir);
  await app.register(httpHardening);
  // Before any route: the OpenAPI document describes only routes registered after it.
  await registerOpenApi(app);
  await registerAuth(app, options.loginClock);
  await app.register(healthRoutes);
  if (metrics) await app.register(metricsRoutes(metrics));
  await app.register(authRoutes);
  await app.register(meetingRoutes);
  await app.register(linkRoutes);
  await app.register(proposalRoutes);
  await app.register(attachmentRoutes);
  await app.register(actionRoutes);
  await app.register(exportRoutes);
  await app.register(versionRoutes);
  await app.register(searchRoutes);
  await app.register(importRoutes);
  if (config.serveClient) await app.register(staticRoutes, { root: config.clientDir });

  let stopRemembering: (() => void) | null = null;
  // Order matters: stop taking sockets, write and close every document, then the database.
  app.addHook('preClose', async () => {
    transport.close();
    stopRemembering?.();
    if (!config.databaseUrl) rememberOpenDocuments(config.dataDir, registry, app.log);
    await registry.close();
  });
  // Before listening: the meetings open at the last stop (or a little before a crash) are in
  // memory when their people come back.
  if (!config.databaseUrl) {
    app.addHook('onReady', async () => {
      await reopenDocuments(config.dataDir, registry, app.log);
      stopRemembering = keepRememberingOpenDocuments(config.dataDir, registry, app.log, config.rememberOpenEveryMs);
    });
  }
  app.addHook('onClose', async () => {
    // The rooms' last extraction passes write after they unload.
    await app.notes.settle();
    await app.events.close();
    await storage.close();
    lock.release();
  });
  return app;
}
