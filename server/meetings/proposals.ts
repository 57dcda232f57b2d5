/**
 * Topic proposals for a meeting's agenda. Anyone with access proposes; the owner schedules a
 * proposal into a slot (it becomes an agenda item), merges it into another proposal or an agenda
 * item, or leaves it unscheduled.
 */
import type { Db } from '../db/database.js';
import type { AgendaItem, PatchProposalBody, Proposal, ProposalInput, ScheduleBody } from '../../shared/api/index.js';
import { badRequest, conflict, notFound } from '../http-errors.js';
import { now, randomId } from '../ids.js';
import { appendToItemNotes, deleteAgendaItem, getAgendaItem, insertAgendaItem } from './meetings.js';

interface ProposalRow {
  id: string;
  meeting_id: string;
  topic: string;
  requested_by: string | null;
  minutes: number | null;
  priority: 'low' | 'medium' | 'high' | null;
  notes: string | null;
  status: Proposal['status'];
  item_id: string | null;
  merged_into_kind: 'proposal' | 'item' | null;
  merged_into_id: string | null;
  created_at: string;
}

const toProposal = (row: ProposalRow): Proposal => ({
  id: row.id,
  topic: row.topic,
  requestedBy: row.requested_by,
  minutes: row.minutes,
  priority: row.priority,
  notes: row.notes,
  status: row.status,
  itemId: row.item_id,
  mergedInto: row.merged_into_kind && row.merged_into_id ? { kind: row.merged_into_kind, id: row.merged_into_id } : null,
  createdAt: row.created_at,
});

const blank = (value: string | null | undefined): string | null => value?.trim() || null;

export function createProposal(
  db: Db,
  meetingId: string,
  input: ProposalInput,
  by: { userId?: string; linkId?: string; defaultRequester?: string },
): Proposal {
  if (input.topic.trim() === '') throw badRequest('topic must not be blank');
  const row: ProposalRow = {
    id: randomId(),
    meeting_id: meetingId,
    topic: input.topic.trim(),
    requested_by: blank(input.requestedBy) ?? blank(by.defaultRequester),
    minutes: input.minutes ?? null,
    priority: input.priority ?? null,
    notes: blank(input.notes),
    status: 'unscheduled',
    item_id: null,
    merged_into_kind: null,
    merged_into_id: null,
    created_at: now(),
  };
  db.prepare(
    `INSERT INTO topic_proposals (id, meeting_id, topic, requested_by, minutes, priority, notes, status, created_by_user, created_by_link, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, 'unscheduled', ?, ?, ?)`,
  ).run(row.id, meetingId, row.topic, row.requested_by, row.minutes, row.priority, row.notes, by.userId ?? null, by.linkId ?? null, row.created_at);
  return toProposal(row);
}

export function listProposals(db: Db, meetingId: string): Proposal[] {
  const rows = db.prepare('SELECT * FROM topic_proposals WHERE meeting_id = ? ORDER BY created_at, rowid').all(meetingId) as ProposalRow[];
  return rows.map(toProposal);
}

function requireRow(db: Db, meetingId: string, id: string): ProposalRow {
  const row = db.prepare('SELECT * FROM topic_proposals WHERE id = ? AND meeting_id = ?').get(id, meetingId) as ProposalRow | undefined;
  if (!row) throw notFound('no proposal with this id in this meeting');
  return row;
}

export function getProposal(db: Db, meetingId: string, id: string): Proposal {
  return toProposal(requireRow(db, meetingId, id));
}

export function updateProposal(db: Db, meetingId: string, id: string, patch: PatchProposalBody): Proposal {
  const row = requireRow(db, meetingId, id);
  if (patch.topic !== undefined && patch.topic.trim() === '') throw badRequest('topic must not be blank');
  db.prepare('UPDATE topic_proposals SET topic = ?, requested_by = ?, minutes = ?, priority = ?, notes = ? WHERE id = ?').run(
    patch.topic !== undefined ? patch.topic.trim() : row.topic,
    patch.requestedBy !== undefined ? blank(patch.requestedBy) : row.requested_by,
    patch.minutes !== undefined ? patch.minutes : row.minutes,
    patch.priority !== undefined ? patch.priority : row.priority,
    patch.notes !== undefined ? blank(patch.notes) : row.notes,
    id,
  );
  return getProposal(db, meetingId, id);
}

export function deleteProposal(db: Db, meetingId: string, id: string): void {
  requireRow(db, meetingId, id);
  db.prepare('DELETE FROM topic_proposals WHERE id = ?').run(id);
}

/** Turns an unscheduled proposal into an agenda item. */
export function scheduleProposal(db: Db, meetingId: string, id: string, slot: ScheduleBody): { proposal: Proposal; item: AgendaItem } {
  return db.transaction(() => {
    const row = requireRow(db, meetingId, id);
    if (row.status !== 'unscheduled') throw conflict(`this proposal is ${row.status}; unschedule it first`);
    const item = insertAgendaItem(
      db,
      meetingId,
      { date: slot.date, blockId: slot.blockId, time: slot.time ?? null },
      {
        topic: row.topic,
        minutes: slot.minutes ?? row.minutes,
        coordinators: row.requested_by ? [row.requested_by] : [],
        preNotes: row.notes,
      },
    );
    db.prepare("UPDATE topic_proposals SET status = 'scheduled', item_id = ? WHERE id = ?").run(item.id, id);
    return { proposal: getProposal(db, meetingId, id), item };
  })();
}

/**
 * Merges a proposal into another topic: the target keeps a line naming it ("Merged: … (requested
 * by …)") in its notes, so nothing proposed silently disappears.
 */
export function mergeProposal(db: Db, meetingId: string, id: string, into: { kind: 'proposal' | 'item'; id: string }): Proposal {
  return db.transaction(() => {
    const row = requireRow(db, meetingId, id);
    if (row.status !== 'unscheduled') throw conflict(`this proposal is ${row.status}; unschedule it first`);
    const line = `Merged: ${row.topic}${row.requested_by ? ` (requested by ${row.requested_by})` : ''}${row.notes ? ` — ${row.notes}` : ''}`;
    if (into.kind === 'proposal') {
      if (into.id === id) throw badRequest('a proposal cannot be merged into itself');
      const target = db.prepare('SELECT * FROM topic_proposals WHERE id = ? AND meeting_id = ?').get(into.id, meetingId) as ProposalRow | undefined;
      if (!target) throw badRequest('into.id is not a proposal of this meeting');
      if (target.status === 'merged') throw conflict('the target proposal is itself merged');
      db.prepare('UPDATE topic_proposals SET notes = ? WHERE id = ?').run(target.notes ? `${target.notes}\n${line}` : line, target.id);
    } else {
      if (!getAgendaItem(db, meetingId, into.id)) throw badRequest('into.id is not an agenda item of this meeting');
      appendToItemNotes(db, meetingId, into.id, line);
    }
    db.prepare("UPDATE topic_proposals SET status = 'merged', merged_into_kind = ?, merged_into_id = ? WHERE id = ?").run(into.kind, into.id, id);
    return getProposal(db, meetingId, id);
  })();
}

/** Back to unscheduled: a scheduled proposal's agenda item is removed (a merge's note line stays). */
export function unscheduleProposal(db: Db, meetingId: string, id: string): Proposal {
  return db.transaction(() => {
    const row = requireRow(db, meetingId, id);
    if (row.status === 'scheduled' && row.item_id) deleteAgendaItem(db, row.item_id);
    db.prepare("UPDATE topic_proposals SET status = 'unscheduled', item_id = NULL, merged_into_kind = NULL, merged_into_id = NULL WHERE id = ?").run(id);
    return getProposal(db, meetingId, id);
  })();
}
