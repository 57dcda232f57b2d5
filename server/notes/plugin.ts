// Wires the notes layer into the app: `app.notes`, its collaboration extensions, its shutdown.

import type { FastifyInstance } from 'fastify';
import type { RoomRegistry } from '../collab/registry.js';
import type { CollabExtension } from '../collab/extension.js';
import type { NotesObserver } from '../metrics.js';
import { queriedSessionLookup } from './lookup.js';
import { NotesService } from './service.js';
import type { ActionsChangedEvent } from '../cluster/events.js';
import { sessionSeeding } from './seed.js';
import { HistoryService } from '../history/service.js';
import { VersionStore } from '../history/version-store.js';
import { NoteSearchIndexer } from '../search/indexer.js';
import { storedDocState } from './minutes.js';
import { warmUpActionGrammar } from './warm-up.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Session documents' notes and action items: see server/notes/index.ts. */
    notes: NotesService;
    /** Versions of session documents, sealing and restore: see server/history/service.ts. */
    history: HistoryService;
  }
}

/**
 * Starts the notes layer on a collaboration core and returns its extensions, in the order they
 * must run: a new session's agenda is seeded before the extraction's first full read; the search
 * index and the versions follow the same document.
 */
export function setUpNotes(app: FastifyInstance, registry: RoomRegistry, observer?: NotesObserver): CollabExtension[] {
  const log = app.log.child({ component: 'notes' });
  const lookup = queriedSessionLookup(app.sql.db, app.sql.sqlite);
  const search = new NoteSearchIndexer({
    queries: app.sql.db,
    lookup,
    log: app.log.child({ component: 'search' }),
    stored: storedDocState(app.documents),
    ...(observer ? { onFailure: observer.searchIndexFailed } : {}),
  });
  const service = new NotesService({
    queries: app.sql.db,
    sqlite: app.sql.sqlite,
    registry,
    lookup,
    log,
    ...(observer ? { observeLag: observer.lagged, observePass: observer.passed, observeFailure: observer.passFailed } : {}),
    ticketProjects: app.config.ticketProjects,
    commands: app.commands,
    // Only where other processes listen: on one process a pass's push reaches every client.
    ...(app.config.databaseUrl ? { announce: (event: ActionsChangedEvent) => void app.events.publish(event) } : {}),
    actionsWritten: (doc) => search.actionsChanged(doc),
  });
  app.decorate('notes', service);
  const history = new HistoryService({
    store: new VersionStore(app.sql.db),
    registry,
    lookup,
    log: app.log.child({ component: 'history' }),
    pauseMs: app.config.versionPauseMs,
    everyMs: app.config.versionEveryMs,
    commands: app.commands,
  });
  app.decorate('history', history);
  // What changing a document from outside its clients means, on the process that holds it.
  app.commands.handle(async (doc, command) => {
    switch (command.kind) {
      case 'tick':
        return service.tickHere(doc, command.actionId, command.done);
      case 'agenda':
        return service.syncAgendaHere(doc);
      case 'seal':
        // The seal is of the minutes with their actions as extracted.
        await service.flush(doc);
        return history.sealHere(doc, command.by);
      case 'named':
        return history.namedHere(doc, command.name, command.by);
      case 'restore':
        return history.restoreHere(doc, command.versionId, command.by);
    }
  });
  app.addHook('onReady', async () => {
    // Before the first connection: the grammar's first lines are slow (warm-up.ts).
    warmUpActionGrammar();
    // Notes written before search existed become searchable in the background after a start.
    void search.backfill().then(
      (count) => count > 0 && log.info({ sessions: count }, 'notes indexed for search'),
      (error: Error) => log.warn({ err: error.message }, 'search backfill stopped'),
    );
  });
  // Added before app.ts's own shutdown hooks, so this runs while rooms and the database are still
  // open: the index catches up with every loaded document.
  app.addHook('preClose', async () => {
    await service.close();
    await search.close();
    await history.close();
  });
  return [sessionSeeding(lookup, log), service.extension, search.extension, history.extension];
}
