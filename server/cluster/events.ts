// The event bus of a cluster and what travels on it: changes of access that live connections
// must follow (applied here by applyAccessEvent), actions changed by an extraction pass, a
// meeting's details or carried actions changed, and commands for a document's owner
// (cluster/document-commands.ts). One process publishes to itself (LocalEventBus); several share
// PostgreSQL's LISTEN/NOTIFY (postgres-events.ts).
import { CloseCode, type MeetingChange } from '../../shared/protocol/index.js';
import type { RoomRegistry } from '../collab/registry.js';
import { scopeOf } from '../plugins/collab-access.js';
import type { CommandEvent } from './document-commands.js';

/**
 * Changes of access that live connections must follow at once, wherever they are connected: a
 * link revoked, a member removed, a meeting deleted (or replaced by an import), closed or
 * reopened; and, between processes, a document wanted where its router now sends its clients.
 * Routes publish them on the process's EventBus; every process applies them to its own
 * connections. Small on purpose: ids and a reason, never content (PostgreSQL's NOTIFY carries
 * at most 8,000 bytes).
 */
export type AccessEvent =
  | { type: 'link-revoked'; linkId: string; reason: string }
  | { type: 'member-removed'; userId: string }
  /** A member's login sessions ended (a password changed or set with a link), but `kept` (a hash). */
  | { type: 'sessions-ended'; userId: string; kept: string | null }
  | { type: 'meeting-deleted'; meetingId: string; docs: string[]; reason: string }
  | { type: 'meeting-closed'; meetingId: string }
  | { type: 'meeting-reopened'; meetingId: string }
  /** A process was asked for a document another one holds (see RoomRegistry.handOff). */
  | { type: 'document-wanted'; doc: string };

/**
 * Everything the processes of a cluster tell each other on the event bus: access changes
 * (above, applied here), and what the app routes elsewhere (app.ts): an extraction pass that
 * changed a session's actions, whose meeting's clients on other processes (other days'
 * documents) are sent the list there; a change of a document for its owner to make, and the
 * owner's answer (cluster/document-commands.ts).
 */
export type ClusterEvent = AccessEvent | ActionsChangedEvent | PastActionsChangedEvent | MeetingChangedEvent | CommandEvent;

export function isAccessEvent(event: ClusterEvent): event is AccessEvent {
  return (
    event.type !== 'actions-changed' &&
    event.type !== 'past-actions-changed' &&
    event.type !== 'meeting-changed' &&
    event.type !== 'document-command' &&
    event.type !== 'document-command-done'
  );
}

export interface ActionsChangedEvent {
  type: 'actions-changed';
  meetingId: string;
  sessionId: string;
  doc: string;
  /** Every session document of the meeting: a process with none of them loaded has nothing to do. */
  docs: string[];
}

/**
 * What a meeting carries into the later meetings of its series changed: it was closed or
 * reopened, one of its actions was ticked after the close, or, closed, it moved in its series or
 * to another. Every process tells the pages of those later meetings it holds to read their Past
 * actions again.
 */
export interface PastActionsChangedEvent {
  type: 'past-actions-changed';
  /** The earlier meeting, whose actions are carried. */
  meetingId: string;
  /** Where it stood before it moved: the meetings after that place carried it until now. */
  formerPlace?: { series: string; startDate: string };
}

/**
 * What a meeting's page shows beside the notes changed: its details (title, dates and days,
 * attendees, agenda, closed or reopened, sealed) or its attachments. Every process tells the
 * meeting's connections it holds, and their pages read it again.
 */
export interface MeetingChangedEvent {
  type: 'meeting-changed';
  meetingId: string;
  changed: MeetingChange['changed'];
}

/** Tells this process's connections of the meeting; returns how many were told. */
export function applyMeetingChange(registry: RoomRegistry, event: MeetingChangedEvent): number {
  return registry.tellWhere((grant) => scopeOf(grant).meetingId === event.meetingId, { type: 'meeting', changed: event.changed });
}

/** Applies an event to this process's connections; returns how many it changed or closed. */
export function applyAccessEvent(registry: RoomRegistry, event: AccessEvent): number {
  switch (event.type) {
    case 'link-revoked':
      return registry.closeWhere((grant) => scopeOf(grant).linkId === event.linkId, CloseCode.Forbidden, event.reason);
    case 'member-removed':
      return registry.closeWhere((grant) => scopeOf(grant).userId === event.userId, CloseCode.Forbidden, 'member removed');
    case 'sessions-ended':
      return registry.closeWhere(
        (grant) => scopeOf(grant).userId === event.userId && (event.kept === null || scopeOf(grant).loginSession !== event.kept),
        CloseCode.Forbidden,
        'signed out: the password was changed',
      );
    case 'meeting-deleted': {
      const closed = registry.closeWhere((grant) => scopeOf(grant).meetingId === event.meetingId, CloseCode.NotFound, event.reason);
      // Loaded documents would otherwise write their state back when they unload.
      for (const doc of event.docs) registry.discard(doc, CloseCode.NotFound, event.reason);
      return closed;
    }
    case 'meeting-closed':
      return registry.setReadOnlyWhere((grant) => scopeOf(grant).meetingId === event.meetingId, true, 'meeting closed');
    case 'meeting-reopened':
      // Followers stay read-only: only what a link or membership lets write becomes writable again.
      return registry.setReadOnlyWhere(
        (grant) => scopeOf(grant).meetingId === event.meetingId && scopeOf(grant).role !== 'follower',
        false,
        'meeting reopened',
      );
    case 'document-wanted':
      return registry.handOff(event.doc);
  }
}

/** Where cluster events are published: this process alone (SQLite), or every process (PostgreSQL). */
export interface EventBus {
  /** Applies the event here, at once, and tells the other processes; returns what it changed here. */
  publish(event: ClusterEvent): number;
  close(): Promise<void>;
}

/** One process: publishing is applying. */
export class LocalEventBus implements EventBus {
  constructor(private readonly apply: (event: ClusterEvent) => number) {}

  publish(event: ClusterEvent): number {
    return this.apply(event);
  }

  async close(): Promise<void> {}
}
