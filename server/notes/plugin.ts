// Wires the notes layer into the app: collaboration hooks (seed, extract), `app.notes`, shutdown.

import type { FastifyInstance } from 'fastify';
import type { Db } from '../db/database.js';
import { WorkerHost, type NotesHost } from './host.js';
import { dbSessionLookup, type SessionLookup } from './lookup.js';
import { NotesService } from './service.js';
import type { Logger } from '../collab/types.js';

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
    return { describe: () => null, docsOfMeeting: () => [] };
  }
}

export async function notesPlugin(app: FastifyInstance): Promise<void> {
  const log = app.log.child({ component: 'notes' });
  const host: NotesHost = new WorkerHost(log);
  const service = new NotesService({ db: app.db, registry: app.collab, host, lookup: safeLookup(app.db, log), log });
  app.decorate('notes', service);

  // Keep whatever another layer registered; the notes hooks run after it.
  const previous = { ...app.collabHooks };
  app.collabHooks.onLoad = async (room) => {
    await previous.onLoad?.(room);
    service.onLoad(room);
  };
  app.collabHooks.onChange = (room, update, origin) => {
    previous.onChange?.(room, update, origin);
    service.onChange(room, update);
  };
  app.collabHooks.onUnload = (room) => {
    try {
      previous.onUnload?.(room);
    } finally {
      service.onUnload(room);
    }
  };

  // Registered before app.ts's own shutdown hooks, so this runs while rooms and the database are
  // still open: the index catches up with every loaded document, then the worker stops.
  app.addHook('preClose', async () => {
    await service.close();
  });
}

// Decorations must be visible on the root instance (what fastify-plugin does).
Object.assign(notesPlugin, { [Symbol.for('skip-override')]: true });
