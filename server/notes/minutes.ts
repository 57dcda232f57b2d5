// Builds the NotesDocument a notes export renders: the meeting's logistics and agenda from the
// meetings tables, each session's blocks read out of its Yjs document by server/notes' headless
// reader (the same node classes and block walk extraction uses), and the action summary.

import * as Y from 'yjs';
import type { Sql } from '../db/sql/index.js';
import type { AnyDocumentStore } from '../persistence/document-store.js';
import type { NoteBlock, NoteInline, NotesDocument } from '../../shared/api/actions.js';
import { getMeeting, type MeetingDetails } from '../meetings/meetings.js';
import { createReader } from '../../shared/notes/headless.js';
import { $readBlocks, type ReadBlock } from '../../shared/notes/read.js';
import { listActions } from '../tracker/action-items.js';
import { VersionStore } from '../history/version-store.js';

/** The current state of a session document as one update, or null when it was never written. */
export type DocStateSource = (docName: string) => Promise<Uint8Array | null>;

/** Reads the stored state (merged snapshot plus the update log) without opening a room. */
export function storedDocState(store: AnyDocumentStore): DocStateSource {
  return async (name) => {
    const stored = await store.load(name);
    const parts = [...(stored.state ? [stored.state] : []), ...stored.updates];
    return parts.length === 0 ? null : Y.mergeUpdates(parts);
  };
}

/** A loaded room's document as it is now; otherwise what is stored (they agree: updates are stored before they apply). */
export function liveOrStoredDocState(live: (name: string) => Y.Doc | undefined, store: AnyDocumentStore): DocStateSource {
  const stored = storedDocState(store);
  return async (name) => {
    const doc = live(name);
    return doc ? Y.encodeStateAsUpdate(doc) : stored(name);
  };
}

function headingLevel(tag: string | null): number {
  const match = /^h([1-6])$/.exec(tag ?? '');
  return match ? Number(match[1]) : 1;
}

function toNoteBlock(block: ReadBlock): NoteBlock {
  const inlines: NoteInline[] = block.inlines.map((inline) => ({ ...inline }));
  const common = { inlines, actionId: block.actionId, agendaItemId: block.type === 'heading' ? block.agendaItemId : null };
  switch (block.type) {
    case 'heading':
      return { type: 'heading', depth: headingLevel(block.tag), ...common };
    case 'quote':
      return { type: 'quote', depth: 0, ...common };
    case 'listitem': {
      const listType = block.listType === 'number' || block.listType === 'check' ? block.listType : 'bullet';
      return {
        type: 'listitem',
        depth: block.depth,
        listType,
        ...(listType === 'check' ? { checked: block.checked === true } : {}),
        ...common,
      };
    }
    case 'table':
      return { type: 'table', depth: 0, ...common, rows: (block.rows ?? []).map((row) => row.map((cell) => cell.map((inline) => ({ ...inline })))), headerRow: block.headerRow === true };
    default:
      return { type: 'paragraph', depth: 0, ...common };
  }
}

/** The blocks of one session document; empty ones (such as the seeded placeholders) are left out. */
export function readSessionBlocks(state: Uint8Array | null): NoteBlock[] {
  if (!state) return [];
  const reader = createReader();
  try {
    Y.applyUpdate(reader.doc, state);
    reader.flush();
    const blocks = reader.editor.getEditorState().read(() => $readBlocks());
    return blocks
      .filter((block) => block.text.trim() !== '')
      .map(toNoteBlock);
  } finally {
    reader.dispose();
    reader.doc.destroy();
  }
}

/** Lets other work (keystroke relay above all) run between two session reads. */
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Reading a session costs about 0.1 ms a block on the event loop (shared/notes/README.md), so sessions
 * are read one per turn of the loop: a long meeting's export never stalls the relay for more
 * than one session's read.
 */
export async function notesDocumentOf(layer: Sql, meeting: MeetingDetails, docState: DocStateSource): Promise<NotesDocument> {
  const sessions: NotesDocument['sessions'] = [];
  // A closed meeting's minutes say who sealed them, and their hash.
  const seals = meeting.closed ? new Map((await new VersionStore(layer.db).seals(meeting.id)).map((v) => [v.sessionId, v])) : new Map();
  for (const session of meeting.sessions) {
    if (sessions.length > 0) await yieldToEventLoop();
    const seal = seals.get(session.id);
    sessions.push({
      id: session.id,
      date: session.date,
      blocks: readSessionBlocks(await docState(session.doc)),
      ...(seal?.sha256 ? { seal: { at: seal.at, by: seal.createdBy, sha256: seal.sha256 } } : {}),
    });
  }
  return {
    meeting: {
      id: meeting.id,
      title: meeting.title,
      series: meeting.series,
      startDate: meeting.startDate,
      endDate: meeting.endDate,
      timezone: meeting.timezone,
      location: meeting.location,
      joinUrl: meeting.joinUrl,
      joinText: meeting.joinText,
      closed: meeting.closed,
      attendees: meeting.attendees.map((a) => ({ name: a.name, handle: a.handle })),
    },
    agenda: meeting.agenda.map((day) => ({
      date: day.date,
      blocks: day.blocks.map((block) => ({
        title: block.title,
        moderator: block.moderator,
        notetaker: block.notetaker,
        items: block.items.map((item) => ({ ...item })),
      })),
    })),
    sessions,
    actions: await listActions(layer, { meetingId: meeting.id }),
  };
}

/** The notes of a meeting, or null for an unknown id. */
export async function buildNotesDocument(layer: Sql, meetingId: string, docState: DocStateSource): Promise<NotesDocument | null> {
  const meeting = await getMeeting(layer.db, meetingId);
  return meeting ? notesDocumentOf(layer, meeting, docState) : null;
}
