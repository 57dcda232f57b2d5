/**
 * Topic proposals for a meeting's agenda. Anyone with access proposes; the owner schedules a
 * proposal into a slot (it becomes an agenda item), merges it into another proposal or an agenda
 * item, or leaves it unscheduled.
 */
import { atomically, type Queries } from '../db/sql/index.js';
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

export async function createProposal(
  q: Queries,
  meetingId: string,
  input: ProposalInput,
  by: { userId?: string; linkId?: string; defaultRequester?: string },
): Promise<Proposal> {
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
  await q
    .insertInto('topic_proposals')
    .values({ ...row, created_by_user: by.userId ?? null, created_by_link: by.linkId ?? null })
    .execute();
  return toProposal(row);
}

export async function listProposals(q: Queries, meetingId: string): Promise<Proposal[]> {
  const rows = await q.selectFrom('topic_proposals').selectAll().where('meeting_id', '=', meetingId).orderBy('created_at').orderBy('rowid').execute();
  return rows.map(toProposal);
}

async function requireRow(q: Queries, meetingId: string, id: string): Promise<ProposalRow> {
  const row = await q.selectFrom('topic_proposals').selectAll().where('id', '=', id).where('meeting_id', '=', meetingId).executeTakeFirst();
  if (!row) throw notFound('no proposal with this id in this meeting');
  return row;
}

export async function getProposal(q: Queries, meetingId: string, id: string): Promise<Proposal> {
  return toProposal(await requireRow(q, meetingId, id));
}

export async function updateProposal(q: Queries, meetingId: string, id: string, patch: PatchProposalBody): Promise<Proposal> {
  await requireRow(q, meetingId, id);
  if (patch.topic !== undefined && patch.topic.trim() === '') throw badRequest('topic must not be blank');
  // Only the fields the patch names.
  const set = {
    ...(patch.topic !== undefined ? { topic: patch.topic.trim() } : {}),
    ...(patch.requestedBy !== undefined ? { requested_by: blank(patch.requestedBy) } : {}),
    ...(patch.minutes !== undefined ? { minutes: patch.minutes } : {}),
    ...(patch.priority !== undefined ? { priority: patch.priority } : {}),
    ...(patch.notes !== undefined ? { notes: blank(patch.notes) } : {}),
  };
  if (Object.keys(set).length > 0) await q.updateTable('topic_proposals').set(set).where('id', '=', id).execute();
  return getProposal(q, meetingId, id);
}

export async function deleteProposal(q: Queries, meetingId: string, id: string): Promise<void> {
  await requireRow(q, meetingId, id);
  await q.deleteFrom('topic_proposals').where('id', '=', id).execute();
}

/** Turns an unscheduled proposal into an agenda item. */
export async function scheduleProposal(q: Queries, meetingId: string, id: string, slot: ScheduleBody): Promise<{ proposal: Proposal; item: AgendaItem }> {
  return atomically(q, async (trx) => {
    const row = await requireRow(trx, meetingId, id);
    if (row.status !== 'unscheduled') throw conflict(`this proposal is ${row.status}; unschedule it first`);
    const item = await insertAgendaItem(
      trx,
      meetingId,
      { date: slot.date, blockId: slot.blockId, time: slot.time ?? null },
      {
        topic: row.topic,
        minutes: slot.minutes ?? row.minutes,
        coordinators: row.requested_by ? [row.requested_by] : [],
        preNotes: row.notes,
      },
    );
    // Guarded by the status, so two schedulings racing (in two processes) make one item.
    const claimed = await trx
      .updateTable('topic_proposals')
      .set({ status: 'scheduled', item_id: item.id })
      .where('id', '=', id)
      .where('status', '=', 'unscheduled')
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) === 0) throw conflict('this proposal was scheduled or merged meanwhile');
    return { proposal: await getProposal(trx, meetingId, id), item };
  });
}

/**
 * Merges a proposal into another topic: the target keeps a line naming it ("Merged: … (requested
 * by …)") in its notes, so nothing proposed silently disappears.
 */
export async function mergeProposal(q: Queries, meetingId: string, id: string, into: { kind: 'proposal' | 'item'; id: string }): Promise<Proposal> {
  return atomically(q, async (trx) => {
    const row = await requireRow(trx, meetingId, id);
    if (row.status !== 'unscheduled') throw conflict(`this proposal is ${row.status}; unschedule it first`);
    const line = `Merged: ${row.topic}${row.requested_by ? ` (requested by ${row.requested_by})` : ''}${row.notes ? ` — ${row.notes}` : ''}`;
    const claimed = await trx
      .updateTable('topic_proposals')
      .set({ status: 'merged', merged_into_kind: into.kind, merged_into_id: into.id })
      .where('id', '=', id)
      .where('status', '=', 'unscheduled')
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) === 0) throw conflict('this proposal was scheduled or merged meanwhile');
    if (into.kind === 'proposal') {
      if (into.id === id) throw badRequest('a proposal cannot be merged into itself');
      const target = await trx.selectFrom('topic_proposals').selectAll().where('id', '=', into.id).where('meeting_id', '=', meetingId).executeTakeFirst();
      if (!target) throw badRequest('into.id is not a proposal of this meeting');
      if (target.status === 'merged') throw conflict('the target proposal is itself merged');
      await trx
        .updateTable('topic_proposals')
        .set({ notes: target.notes ? `${target.notes}\n${line}` : line })
        .where('id', '=', target.id)
        .execute();
    } else {
      if (!(await getAgendaItem(trx, meetingId, into.id))) throw badRequest('into.id is not an agenda item of this meeting');
      await appendToItemNotes(trx, meetingId, into.id, line);
    }
    return getProposal(trx, meetingId, id);
  });
}

/** Back to unscheduled: a scheduled proposal's agenda item is removed (a merge's note line stays). */
export async function unscheduleProposal(q: Queries, meetingId: string, id: string): Promise<Proposal> {
  return atomically(q, async (trx) => {
    const row = await requireRow(trx, meetingId, id);
    if (row.status === 'scheduled' && row.item_id) await deleteAgendaItem(trx, row.item_id);
    await trx
      .updateTable('topic_proposals')
      .set({ status: 'unscheduled', item_id: null, merged_into_kind: null, merged_into_id: null })
      .where('id', '=', id)
      .execute();
    return getProposal(trx, meetingId, id);
  });
}
