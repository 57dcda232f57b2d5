// Old minutes in, an ordinary meeting out: the page is read (lines.ts → recognise.ts) into a
// preview, and importing creates exactly what the preview shows: the meeting with its attendees
// and agenda, each day's session document seeded as a new meeting's is (headings with agenda ids)
// with the running notes under their items, the action records extracted from those notes by the
// notes layer's own extractor, and the proposals. A past meeting is created closed.

import * as Y from 'yjs';
import { atomically, type Queries } from '../db/sql/index.js';
import { sha256Hex } from '../ids.js';
import type { AnyDocumentStore } from '../persistence/document-store.js';
import { createMeeting, deleteMeeting, getMeeting, setClosed, type MeetingDetails } from '../meetings/meetings.js';
import { createProposal, mergeProposal } from '../meetings/proposals.js';
import { queriedSessionLookup } from '../notes/lookup.js';
import { seedSessionDocument, type SeedLine } from '../notes/seed.js';
import { SessionExtractor } from '../notes/extractor.js';
import { ActionStore } from '../tracker/action-store.js';
import { SERVER_ORIGIN } from '../collab/room.js';
import { newDoc } from '../../shared/notes/client-id.js';
import { VersionStore } from '../history/version-store.js';
import { sealHash } from '../history/service.js';
import { detectFormat, readLines, type ImportFormat } from './lines.js';
import { agendaOf, recognise, type ImportPreview } from './recognise.js';

export interface ImportRequest {
  content: string;
  filename?: string | null;
  series?: string | null;
  /** Create a past meeting open instead of closed. */
  open?: boolean;
  /** Today (YYYY-MM-DD), for "is it past" and pages without a date. */
  today: string;
  /** TICKET_PROJECTS. */
  ticketProjects?: string[];
}

export interface ReadPage {
  format: ImportFormat;
  hash: string;
  preview: ImportPreview;
  /** A meeting made from this same page before, if any. */
  duplicateOf: string | null;
}

/** The same page: the same text, whatever its line endings or surrounding blank space. */
export function pageHash(content: string): string {
  return sha256Hex(content.replace(/\r\n?/g, '\n').trim());
}

/** Reads a page into the meeting it would make (a dry run changes nothing). */
export async function readPage(q: Queries, request: ImportRequest): Promise<ReadPage> {
  const format = detectFormat(request.content, request.filename);
  const preview = recognise(readLines(request.content, format), { today: request.today, ...(request.ticketProjects ? { ticketProjects: request.ticketProjects } : {}) });
  const hash = pageHash(request.content);
  const row = await q.selectFrom('meeting_imports').select('meeting_id').where('hash', '=', hash).executeTakeFirst();
  const duplicateOf = row?.meeting_id ?? null;
  // Another copy of the same minutes (an export imported where its meeting still is): said, since
  // the series would then carry its actions twice.
  const same = duplicateOf ? undefined : await q.selectFrom('meetings').select('id').where('title', '=', preview.title).where('start_date', '=', preview.startDate).executeTakeFirst();
  if (same) preview.warnings.push(`A meeting "${preview.title}" starting ${preview.startDate} is here already (${same.id}): importing this page makes a second one.`);
  return { format, hash, preview, duplicateOf };
}

export class ImportError extends Error {}

/**
 * Creates the meeting a page previews as. `replace` deletes the meeting made from the same page
 * before (the caller closes its connections first); without it a page imported before is refused.
 */
export async function importPage(
  q: Queries,
  store: AnyDocumentStore,
  ownerId: string,
  request: ImportRequest & { replace?: boolean },
  read?: ReadPage,
): Promise<{ read: ReadPage; meeting: MeetingDetails; replaced: string | null }> {
  read ??= await readPage(q, request);
  const { preview } = read;
  if (read.duplicateOf && !request.replace) throw new ImportError(`this page was imported before as meeting ${read.duplicateOf}`);
  const replaced = read.duplicateOf;
  if (replaced) {
    for (const doc of (await deleteMeeting(q, replaced)).docs) await store.delete(doc);
  }
  const hash = read.hash;
  const meeting = await atomically(q, async (trx) => {
    const created = await createMeeting(trx, ownerId, {
      title: preview.title,
      series: request.series ?? preview.series,
      timezone: preview.timezone,
      startDate: preview.startDate,
      endDate: preview.endDate,
      location: preview.location,
      joinUrl: preview.joinUrl,
      joinText: preview.joinText,
      attendees: preview.attendees,
      agenda: agendaOf(preview),
    });
    // "merged with previous" is a merge into the proposal before it, as the proposals page does.
    let previous: string | null = null;
    for (const { merged, ...proposal } of preview.proposals) {
      const made = await createProposal(trx, created.id, proposal, { userId: ownerId });
      if (merged && previous) await mergeProposal(trx, created.id, made.id, { kind: 'proposal', id: previous });
      else previous = made.id;
    }
    await trx.insertInto('meeting_imports').values({ hash, meeting_id: created.id, filename: request.filename ?? null, created_at: new Date().toISOString() }).execute();
    return created;
  });
  try {
    // A past meeting comes in closed, its minutes sealed as closing seals them.
    const closed = preview.endDate < request.today && !request.open;
    const by = closed ? ((await q.selectFrom('users').select('name').where('id', '=', ownerId).executeTakeFirst())?.name ?? null) : null;
    await writeSessions(q, store, meeting, preview, request.ticketProjects ?? [], closed ? { by } : null);
    if (closed) await setClosed(q, meeting.id, true);
  } catch (error) {
    // All or nothing: a half-written import is worse than none.
    for (const doc of (await deleteMeeting(q, meeting.id)).docs) await store.delete(doc);
    throw error;
  }
  return { read, meeting: (await getMeeting(q, meeting.id))!, replaced };
}

/**
 * Each day's document: the agenda seeded as for a new meeting, the notes under their items, ids
 * and actions extracted; with `seal`, a sealed version of it (the SHA-256 of its canonical
 * Markdown, as closing a meeting keeps), so that copies of imported minutes can be checked too.
 */
async function writeSessions(
  q: Queries,
  store: AnyDocumentStore,
  meeting: MeetingDetails,
  preview: ImportPreview,
  ticketProjects: string[],
  seal: { by: string | null } | null,
): Promise<void> {
  const lookup = queriedSessionLookup(q);
  const actions = new ActionStore(q);
  const versions = new VersionStore(q);
  for (const session of meeting.sessions) {
    const context = await lookup.describe(session.doc);
    if (!context) continue;
    const day = preview.days.find((d) => d.date === session.date);
    const created = meeting.agenda.find((d) => d.date === session.date);
    const byItem = new Map<string, SeedLine[]>();
    // The agenda was created from the preview's blocks and items in order: pair them up.
    day?.blocks.forEach((block, b) => block.items.forEach((item, i) => {
      const id = created?.blocks[b]?.items[i]?.id;
      if (id) byItem.set(id, item.notes);
    }));
    const doc = newDoc();
    try {
      seedSessionDocument(doc, context.outline, SERVER_ORIGIN, { opening: day?.notes ?? [], byItem, closing: day?.closing ?? [] });
      const extractor = new SessionExtractor(doc, { origin: SERVER_ORIGIN });
      const agendaItems = context.outline.blocks.flatMap((b) => b.items.map((i) => i.id));
      const result = extractor.pass(
        { attendees: context.attendees, sessionDate: context.sessionDate, agendaItems, ...(ticketProjects.length > 0 ? { ticketProjects } : {}) },
        new Set(),
        true,
      );
      extractor.dispose();
      await actions.applyPass({ doc: session.doc, meetingId: meeting.id, sessionId: session.id }, result.all ?? []);
      const state = Y.encodeStateAsUpdate(doc);
      await store.append(session.doc, state);
      if (seal) {
        await versions.add({ doc: session.doc, meetingId: meeting.id, sessionId: session.id, kind: 'sealed', createdBy: seal.by, sha256: sealHash(state) }, state, new Map());
      }
    } finally {
      doc.destroy();
    }
  }
}
