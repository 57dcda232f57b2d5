import type { Room } from './room.js';

/**
 * What another layer adds to the collaboration core (seeding a new session, indexing its actions).
 * The core is given one ordered list of them, built in server/app.ts, and runs each hook in that
 * order.
 */
export interface CollabExtension {
  /** For logs: which extension failed. */
  readonly name: string;
  /** Once per load, after the stored state is applied and before any client is admitted; awaited. */
  onLoad?(room: Room): void | Promise<void>;
  /**
   * After onLoad, for a document opened ahead of its clients (a restart reopening the meetings
   * that were open, before the server listens); awaited. Work a load puts off so as not to share
   * the event loop with the handshake of whoever asked for the document is done here instead:
   * nobody is waiting yet, and soon everyone comes back at once.
   */
  onReopen?(room: Room): Promise<void>;
  /** After each stored update, in the same tick: keep it cheap (schedule work). */
  onChange?(room: Room, update: Uint8Array, origin: unknown): void;
  /** After the final write, just before the room is dropped. */
  onUnload?(room: Room): void;
}
