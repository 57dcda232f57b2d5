// Wires the notes layer into the app: `app.notes`, its collaboration extensions, its shutdown.

import type { FastifyInstance } from 'fastify';
import type { Db } from '../db/database.js';
import type { RoomRegistry } from '../collab/registry.js';
import type { CollabExtension } from '../collab/extension.js';
import type { Logger } from '../collab/types.js';
import type { NotesObserver } from '../metrics.js';
import { dbSessionLookup, type SessionLookup } from './lookup.js';
import { NotesService } from './service.js';
import { sessionSeeding } from './seed.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Session documents' notes and action items: see server/notes/index.ts. */
    notes: NotesService;
  }
}

/** Before migration 002 exists no document belongs to a session; keep the server usable. */
function safeLookup(db: Db, log: Logger): SessionLookup {
  try {
    return dbSessionLookup(db);
  } catch (error) {
    log.warn({ err: (error as Error).message }, 'meetings tables missing: session documents are not extracted');
    return { describe: () => null, version: () => 0, docsOfMeeting: () => [] };
  }
}

/**
 * Starts the notes layer on a collaboration core and returns its extensions, in the order they
 * must run: a new session's agenda is seeded before the extraction's first full read.
 */
export function setUpNotes(app: FastifyInstance, registry: RoomRegistry, observer?: NotesObserver): CollabExtension[] {
  const log = app.log.child({ component: 'notes' });
  const lookup = safeLookup(app.db, log);
  const service = new NotesService({
    db: app.db,
    registry,
    lookup,
    log,
    ...(observer ? { observeLag: observer.lagged, observePass: observer.passed } : {}),
  });
  app.decorate('notes', service);
  // Added before app.ts's own shutdown hooks, so this runs while rooms and the database are still
  // open: the index catches up with every loaded document.
  app.addHook('preClose', async () => {
    await service.close();
  });
  return [sessionSeeding(lookup, log), service.extension];
}
