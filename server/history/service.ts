// Versions of session documents: kept automatically while people type (after a pause, and at
// least every few minutes of typing, and when a document unloads with changes), named on demand,
// sealed at every close, and restored as a new live edit. Also records which user each Yjs client
// of a document wrote as, from the connection its updates arrived on.

import * as Y from 'yjs';
import { $getRoot, $parseSerializedNode } from 'lexical';
import type { RoomRegistry } from '../collab/registry.js';
import { SERVER_ORIGIN, type Room } from '../collab/room.js';
import { Connection } from '../collab/connection.js';
import type { CollabExtension } from '../collab/extension.js';
import type { Logger } from '../collab/types.js';
import type { SessionLookup } from '../notes/lookup.js';
import { createReader, createWriter, SERVER_EDIT } from '../../shared/notes/headless.js';
import { blocksToMarkdown } from '../../shared/exports/markdown.js';
import { readSessionBlocks } from '../notes/minutes.js';
import { VersionStore, type VersionInfo, type VersionKind } from './version-store.js';
import { carriedAuthorship, writersOf } from './attribution.js';
import { sha256Hex } from '../ids.js';
import type { DocumentCommands } from '../cluster/document-commands.js';

export interface HistoryOptions {
  store: VersionStore;
  registry: RoomRegistry;
  lookup: SessionLookup;
  log: Logger;
  pauseMs: number;
  everyMs: number;
  /** Where versions made on request are taken: on the process that holds the document. */
  commands: DocumentCommands;
}

interface Watched {
  room: Room;
  /** When the oldest change no version holds yet arrived (Date.now()), or null. */
  dirtySince: number | null;
  /** When the last change arrived (Date.now()). */
  lastChange: number;
  timer: NodeJS.Timeout | null;
  /** Client ids already recorded as someone's in document_authors. */
  known: Set<number>;
}

export class HistoryError extends Error {
  constructor(
    readonly code: 'not_found' | 'closing',
    message: string,
  ) {
    super(message);
  }
}

/** The canonical Markdown of a session document's notes: what a sealed version's SHA-256 is of. */
export function canonicalMarkdown(state: Uint8Array | null): string {
  const markdown = blocksToMarkdown(readSessionBlocks(state));
  return markdown === '' ? '' : `${markdown}\n`;
}

/** What a seal of a session document's notes vouches for. */
export const sealHash = (state: Uint8Array): string => sha256Hex(canonicalMarkdown(state));

export class HistoryService {
  readonly store: VersionStore;
  private readonly watched = new Map<string, Watched>();
  private readonly registry: RoomRegistry;
  private readonly lookup: SessionLookup;
  private readonly log: Logger;
  private readonly pauseMs: number;
  private readonly everyMs: number;
  private readonly commands: DocumentCommands;
  private closing = false;

  constructor(options: HistoryOptions) {
    this.store = options.store;
    this.registry = options.registry;
    this.lookup = options.lookup;
    this.commands = options.commands;
    this.log = options.log;
    this.pauseMs = options.pauseMs;
    this.everyMs = options.everyMs;
  }

  readonly extension: CollabExtension = {
    name: 'history',
    onLoad: async (room) => {
      if (this.closing || !(await this.lookup.describe(room.name))) return;
      const known = new Set((await this.store.authors(room.name)).keys());
      this.watched.set(room.name, { room, dirtySince: null, lastChange: 0, timer: null, known });
    },
    onChange: (room, update, origin) => this.onChange(room, update, origin),
    onUnload: (room) => {
      const watched = this.watched.get(room.name);
      if (!watched || watched.room !== room) return;
      this.watched.delete(room.name);
      if (watched.timer) clearTimeout(watched.timer);
      // The version is of the document as it is now: take() reads it before anything awaits.
      if (watched.dirtySince !== null) void this.autoVersion(watched);
    },
  };

  private onChange(room: Room, update: Uint8Array, origin: unknown): void {
    const watched = this.watched.get(room.name);
    if (!watched || watched.room !== room) return;
    if (origin instanceof Connection && origin.grant.user && !origin.grant.readOnly) {
      const fresh = writersOf(update).filter((client) => !watched.known.has(client));
      if (fresh.length > 0) {
        for (const client of fresh) watched.known.add(client);
        this.recordLater(room.name, fresh, origin.grant.user, watched);
      }
    }
    const now = Date.now();
    watched.dirtySince ??= now;
    watched.lastChange = now;
    // One timer per pause, not one per keystroke: when it fires early it waits out the rest.
    if (!watched.timer) this.versionLater(watched);
  }

  /** A version after a pause in typing, or once the oldest unversioned change is `everyMs` old. */
  private versionLater(watched: Watched): void {
    const due = (): number => Math.min(watched.lastChange + this.pauseMs, (watched.dirtySince ?? 0) + this.everyMs);
    watched.timer = setTimeout(() => {
      watched.timer = null;
      if (this.watched.get(watched.room.name) !== watched || watched.dirtySince === null) return;
      if (Date.now() < due()) this.versionLater(watched);
      else void this.autoVersion(watched);
    }, Math.max(0, due() - Date.now()));
    watched.timer.unref();
  }

  private retryLater(watched: Watched): void {
    watched.timer = setTimeout(() => {
      watched.timer = null;
      if (this.watched.get(watched.room.name) === watched && watched.dirtySince !== null) void this.autoVersion(watched);
    }, this.pauseMs);
    watched.timer.unref();
  }

  private readonly pendingAuthors: Array<{ doc: string; clients: number[]; user: { id: string; name: string }; watched: Watched }> = [];

  /**
   * Written after the update is relayed, not before: a typist's first keystroke (a new client
   * id) must reach the others as fast as any other keystroke.
   */
  private recordLater(doc: string, clients: number[], user: { id: string; name: string }, watched: Watched): void {
    this.pendingAuthors.push({ doc, clients, user, watched });
    if (this.pendingAuthors.length === 1) setImmediate(() => this.recordAuthors());
  }

  private async recordAuthors(): Promise<void> {
    for (const { doc, clients, user, watched } of this.pendingAuthors.splice(0)) {
      try {
        await this.store.recordAuthors(doc, clients, user);
      } catch (error) {
        // Tried again with this client's next update; the edit itself is already stored.
        for (const client of clients) watched.known.delete(client);
        this.log.warn({ doc, err: (error as Error).message }, 'authors not recorded');
      }
    }
  }

  private async autoVersion(watched: Watched): Promise<void> {
    try {
      await this.take(watched.room.name, watched.room.doc, 'auto');
    } catch (error) {
      this.log.error({ doc: watched.room.name, err: (error as Error).message }, 'automatic version not kept');
    }
  }

  /**
   * Records the document as it is now. An automatic version of a document unchanged since its
   * last version is not kept (null); every other kind is.
   */
  private async take(
    doc: string,
    ydoc: Y.Doc,
    kind: VersionKind,
    extra: { name?: string | null; createdBy?: string | null; sha256?: string | null } = {},
  ): Promise<VersionInfo | null> {
    // The document as it is now, before anything awaits (an unloading room is gone after this
    // tick); what changes from here on is the next version's, so it counts as dirty again.
    const state = Y.encodeStateAsUpdate(ydoc);
    const vector = Y.encodeStateVector(ydoc);
    const watched = this.watched.get(doc);
    // A state vector counts insertions only: a change that only deleted text leaves it as it was,
    // so what changed since the last version is known from the changes seen, not from it.
    const dirtySince = watched?.dirtySince ?? null;
    if (watched) {
      watched.dirtySince = null;
      if (watched.timer) clearTimeout(watched.timer);
      watched.timer = null;
    }
    try {
      const context = await this.lookup.describe(doc);
      if (!context) throw new HistoryError('not_found', `${doc} belongs to no session`);
      await this.recordAuthors();
      const last = dirtySince !== null ? null : await this.store.lastStateVector(doc);
      if (kind === 'auto' && dirtySince === null && last !== null && sameBytes(last, vector)) return null;
      return await this.store.add({ doc, meetingId: context.meetingId, sessionId: context.sessionId, kind, ...extra }, state, await this.store.authors(doc));
    } catch (error) {
      // Not kept (the database cannot write): the changes stay unversioned and are tried again.
      // (A document of no session, its meeting deleted meanwhile, has nothing to keep.)
      if (watched && dirtySince !== null && this.watched.get(doc) === watched && !(error instanceof HistoryError)) {
        watched.dirtySince = Math.min(dirtySince, watched.dirtySince ?? dirtySince);
        // Tried again after a pause, typing or not (the next change would otherwise be the only retry).
        if (!watched.timer && !this.closing) this.retryLater(watched);
      }
      throw error;
    }
  }

  /** A version with a name (POST …/versions). */
  named(doc: string, name: string, by: string): Promise<VersionInfo> {
    return this.commands.runRaising<VersionInfo, HistoryError>(doc, { kind: 'named', name, by }, HistoryError);
  }

  /** Seals the session's notes as they are now (a meeting closing): its canonical Markdown's hash. */
  seal(doc: string, by: string): Promise<VersionInfo> {
    return this.commands.runRaising<VersionInfo, HistoryError>(doc, { kind: 'seal', by }, HistoryError);
  }

  /** Makes the live document read as `versionId` did (see restoreHere). */
  restore(doc: string, versionId: string, by: string): Promise<VersionInfo> {
    return this.commands.runRaising<VersionInfo, HistoryError>(doc, { kind: 'restore', versionId, by }, HistoryError);
  }

  /** `named`, on the process that holds the document. */
  async namedHere(doc: string, name: string, by: string): Promise<VersionInfo> {
    if (this.closing) throw new HistoryError('closing', 'the server is shutting down');
    const room = await this.registry.open(doc);
    return (await this.take(doc, room.doc, 'named', { name, createdBy: by }))!;
  }

  /** `seal`, on the process that holds the document. */
  async sealHere(doc: string, by: string): Promise<VersionInfo> {
    const room = await this.registry.open(doc);
    const state = Y.encodeStateAsUpdate(room.doc);
    return (await this.take(doc, room.doc, 'sealed', { createdBy: by, sha256: sealHash(state) }))!;
  }

  /**
   * Makes the live document read as `versionId` did: one server edit that replaces the notes'
   * blocks, relayed to everyone connected like any edit. The state before it is kept as a
   * version first, so nothing is lost and nothing in the history is rewritten.
   */
  async restoreHere(doc: string, versionId: string, by: string): Promise<VersionInfo> {
    if (this.closing) throw new HistoryError('closing', 'the server is shutting down');
    const target = await this.store.get(versionId);
    const state = target && target.doc === doc ? await this.store.state(versionId) : null;
    if (!target || !state) throw new HistoryError('not_found', `no version ${versionId} of this session`);
    const room = await this.registry.open(doc);
    await this.take(doc, room.doc, 'auto');

    const reader = createReader();
    let children: unknown[];
    try {
      Y.applyUpdate(reader.doc, state);
      reader.flush();
      children = reader.editor.getEditorState().toJSON().root.children;
    } finally {
      reader.dispose();
      reader.doc.destroy();
    }
    const writer = createWriter(Y.encodeStateAsUpdate(room.doc));
    let carried: Promise<void> | null = null;
    try {
      writer.editor.update(() => {
        const root = $getRoot();
        root.clear();
        // Node state (action ids, agenda item ids) travels with each node: actions keep their records.
        for (const child of children) root.append($parseSerializedNode(child as Parameters<typeof $parseSerializedNode>[0]));
      }, SERVER_EDIT);
      if (writer.changed()) {
        Y.applyUpdate(room.doc, writer.diff(), SERVER_ORIGIN);
        carried = this.carryAuthorship(doc, room.doc, state, writer.doc.clientID);
      }
    } finally {
      writer.dispose();
      writer.doc.destroy();
    }
    await carried;
    const label = target.name ?? `${target.kind} version of ${target.at}`;
    return (await this.take(doc, room.doc, 'restore', { name: `restored ${label}`, createdBy: by }))!;
  }

  /**
   * The restore re-created every word as the server's; remember whose they were, so the history
   * still shows each author's text after it. A failure here loses colours, never notes.
   */
  private async carryAuthorship(doc: string, live: Y.Doc, versionState: Uint8Array, writer: number): Promise<void> {
    const version = new Y.Doc();
    try {
      Y.applyUpdate(version, versionState);
      const ranges = carriedAuthorship(live, version, writer, await this.store.authorship(doc));
      await this.store.recordAuthorRanges(doc, ranges);
    } catch (error) {
      this.log.warn({ doc, err: (error as Error).message }, 'authors of the restored text not recorded');
    } finally {
      version.destroy();
    }
  }

  /** Keeps a version of every document with unversioned changes (shutdown). */
  async close(): Promise<void> {
    this.closing = true;
    const kept: Array<Promise<void>> = [this.recordAuthors()];
    for (const watched of this.watched.values()) {
      if (watched.timer) clearTimeout(watched.timer);
      watched.timer = null;
      if (watched.dirtySince !== null) kept.push(this.autoVersion(watched));
    }
    await Promise.all(kept);
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}
