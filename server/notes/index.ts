// The notes layer's public surface, for routes and other layers.
//
//   app.notes.setActionDone(actionId, done) → Promise<ActionRecord>
//       Ticks/unticks the action in its source notes (a server-side document change) and resolves
//       with the record as re-extracted afterwards. Throws NotesError with code
//       'not_found' (no such action: 404), 'removed' / 'not_in_notes' (deleted from the notes: 409),
//       'closing' (shutting down: 503).
//   app.notes.listActions(doc, {includeRemoved?}) → Promise<ActionRecord[]>   (present actions, doc order)
//   app.notes.flush(doc) → Promise<void>   (waits until action_items reflects every change so far)
//   app.notes.pushActions(doc) → Promise<void>   (re-sends a session's list to its meeting's clients)
//   app.notes.store                         (ActionStore: get(id), list(doc), both asynchronous)
//   app.notes.settle() → Promise<void>      (every pass under way written: before the database closes)
//
// Clients of a meeting receive `{type: 'actions', doc, meetingId, sessionId, complete, actions, removed}`
// Control messages (shared/api/actions.ts ActionsPush) whenever a pass changes a list.

export { setUpNotes } from './plugin.js';
export { NotesService, NotesError } from './service.js';
export { ActionStore } from '../tracker/action-store.js';
export { seedSessionDocument, isSeeded } from './seed.js';
export { queriedSessionLookup, type SessionLookup, type SessionContext, type SessionOutline } from './lookup.js';
export type { ActionRecord, ActionsPush } from '../../shared/api/actions.js';

import type { FastifyInstance } from 'fastify';
import type { ActionRecord as Record_ } from '../../shared/api/actions.js';

/**
 * Ticks or unticks an action in its source notes and resolves with the re-extracted record
 * (PATCH /api/actions/:id). Errors: NotesError — see the codes at the top of this file.
 */
export function setActionDone(app: FastifyInstance, actionId: string, done: boolean): Promise<Record_> {
  return app.notes.setActionDone(actionId, done);
}
