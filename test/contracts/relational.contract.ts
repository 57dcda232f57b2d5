/**
 * What the relational modules that run on the query layer (server/db/sql) must do on either
 * dialect: run by test/server/relational-sqlite.test.ts on SQLite and by
 * test/postgres/relational.test.ts on PostgreSQL. `make` gives an empty database.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as Y from 'yjs';
import { AttachmentStore } from '../../server/attachments/store.js';
import { databaseBytes, fileBytes } from '../../server/attachments/bytes.js';
import { KEYFRAME_EVERY, VersionStore } from '../../server/history/version-store.js';
import type { Sql } from '../../server/db/sql/index.js';
import {
  acceptInvite,
  accountCount,
  adminCount,
  checkCredentials,
  createInvite,
  createLoginSession,
  listMembers,
  openInvite,
  removeMember,
  setupFirstAdmin,
  userForSession,
} from '../../server/accounts/accounts.js';
import { feedOwner, revokeFeed, rotateFeed } from '../../server/accounts/calendar-feeds.js';
import { checkToken, createLink, listLinksWithTokens, revokeLink, rotateLink } from '../../server/meetings/share-links.js';
import { sealerWithKey } from '../../server/meetings/link-sealer.js';
import {
  createMeeting,
  deleteMeeting,
  findSessionByDoc,
  getMeeting,
  insertAgendaItem,
  listMeetings,
  setClosed,
  updateMeeting,
} from '../../server/meetings/meetings.js';
import { getAction, listActions, listPastActions } from '../../server/tracker/action-items.js';
import { ActionStore } from '../../server/tracker/action-store.js';
import type { ExtractedAction } from '../../server/notes/extractor.js';
import { queriedSessionLookup } from '../../server/notes/lookup.js';
import { searchWith } from '../../server/search/search.js';
import { createProposal, listProposals, mergeProposal, scheduleProposal, unscheduleProposal } from '../../server/meetings/proposals.js';

const PASSWORD = 'correct horse battery';
const sealer = sealerWithKey(Buffer.alloc(32, 7));

async function meetingOf(sql: Sql, ownerId: string): Promise<string> {
  return (await createMeeting(sql.db, ownerId, { title: 'Weekly', startDate: '2026-12-04', attendees: [] })).id;
}

export function relationalContract(name: string, make: () => Promise<Sql>): void {
  describe(`relational modules on ${name}`, () => {
    it('lets exactly one of two setups racing each other create the first admin', async () => {
      const sql = await make();
      const results = await Promise.allSettled([
        setupFirstAdmin(sql, { email: 'ada@example.org', name: 'Ada', password: PASSWORD }),
        setupFirstAdmin(sql, { email: 'bob@example.org', name: 'Bob', password: PASSWORD }),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
      expect((refused.reason as { statusCode?: number }).statusCode).toBe(403);
      expect(await accountCount(sql.db)).toBe(1);
      expect(await adminCount(sql.db)).toBe(1);
    });

    it('signs in by e-mail whatever its case, and refuses a second account for the same address', async () => {
      const sql = await make();
      const admin = await setupFirstAdmin(sql, { email: 'Ada@Example.org', name: 'Ada', password: PASSWORD });
      expect((await checkCredentials(sql.db, 'ada@example.ORG', PASSWORD))?.id).toBe(admin.id);
      expect(await checkCredentials(sql.db, 'ada@example.org', 'wrong password')).toBeNull();
      const invite = await createInvite(sql.db, admin.id, {});
      await expect(acceptInvite(sql.db, invite.token, { name: 'Copy', password: PASSWORD, email: 'ADA@example.org' })).rejects.toMatchObject({ statusCode: 409 });
    });

    it('uses an invite once, even when two accept it at the same time', async () => {
      const sql = await make();
      const admin = await setupFirstAdmin(sql, { email: 'ada@example.org', name: 'Ada', password: PASSWORD });
      const invite = await createInvite(sql.db, admin.id, { email: 'cy@example.org' });
      expect((await openInvite(sql.db, invite.token)).email).toBe('cy@example.org');
      const results = await Promise.allSettled([
        acceptInvite(sql.db, invite.token, { name: 'Cy', password: PASSWORD }),
        acceptInvite(sql.db, invite.token, { name: 'Cy again', password: PASSWORD }),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      expect((await listMembers(sql.db)).map((m) => m.email).sort()).toEqual(['ada@example.org', 'cy@example.org']);
      await expect(openInvite(sql.db, invite.token)).rejects.toMatchObject({ statusCode: 403 });
    });

    it('ends every login session and calendar feed of a removed member, all at once', async () => {
      const sql = await make();
      const admin = await setupFirstAdmin(sql, { email: 'ada@example.org', name: 'Ada', password: PASSWORD });
      const invite = await createInvite(sql.db, admin.id, { email: 'cy@example.org' });
      const cy = await acceptInvite(sql.db, invite.token, { name: 'Cy', password: PASSWORD });
      const sessions = [await createLoginSession(sql.db, cy.id), await createLoginSession(sql.db, cy.id)];
      const feed = await rotateFeed(sql.db, cy.id);
      expect((await userForSession(sql.db, sessions[0]!.token))?.id).toBe(cy.id);
      expect((await feedOwner(sql.db, feed))?.id).toBe(cy.id);

      await removeMember(sql, cy.id);
      for (const session of sessions) expect(await userForSession(sql.db, session.token)).toBeNull();
      expect(await feedOwner(sql.db, feed)).toBeNull();
      expect(await checkCredentials(sql.db, 'cy@example.org', PASSWORD)).toBeNull();
      await expect(removeMember(sql, cy.id)).rejects.toMatchObject({ statusCode: 404 });
    });

    it('rotates a calendar feed (the old address stops working) and revokes it', async () => {
      const sql = await make();
      const admin = await setupFirstAdmin(sql, { email: 'ada@example.org', name: 'Ada', password: PASSWORD });
      const first = await rotateFeed(sql.db, admin.id);
      const second = await rotateFeed(sql.db, admin.id);
      expect(await feedOwner(sql.db, first)).toBeNull();
      expect(await feedOwner(sql.db, second)).toEqual({ id: admin.id, name: 'Ada', email: 'ada@example.org' });
      expect(await revokeFeed(sql.db, admin.id)).toBe(true);
      expect(await revokeFeed(sql.db, admin.id)).toBe(false);
      expect(await feedOwner(sql.db, second)).toBeNull();
    });

    it('checks share tokens, rotates and revokes links, and keeps a revoked link revoked', async () => {
      const sql = await make();
      const admin = await setupFirstAdmin(sql, { email: 'ada@example.org', name: 'Ada', password: PASSWORD });
      const meeting = await meetingOf(sql, admin.id);
      const edit = await createLink(sql.db, sealer, meeting, { role: 'notetaker', label: ' edit link ', createdBy: admin.id });
      const view = await createLink(sql.db, sealer, meeting, { role: 'follower', createdBy: null });
      expect(await checkToken(sql.db, edit.token)).toEqual({ status: 'valid', link: expect.objectContaining({ id: edit.id, role: 'notetaker', label: 'edit link', meetingId: meeting }) });
      expect(await checkToken(sql.db, 'not-a-token')).toEqual({ status: 'unknown' });

      const rotated = await rotateLink(sql.db, sealer, meeting, edit.id);
      expect(await checkToken(sql.db, edit.token)).toEqual({ status: 'unknown' });
      expect((await checkToken(sql.db, rotated.token)).status).toBe('valid');

      await revokeLink(sql.db, meeting, view.id);
      expect(await checkToken(sql.db, view.token)).toEqual({ status: 'revoked' });
      await expect(rotateLink(sql.db, sealer, meeting, view.id)).rejects.toMatchObject({ statusCode: 409 });
      await expect(revokeLink(sql.db, 'another meeting', edit.id)).rejects.toMatchObject({ statusCode: 404 });

      const listed = await listLinksWithTokens(sql.db, sealer, meeting);
      const byId = (a: [string, string | null], b: [string, string | null]) => a[0].localeCompare(b[0]);
      expect(listed.map((link): [string, string | null] => [link.id, link.token]).sort(byId)).toEqual(
        ([[edit.id, rotated.token], [view.id, null]] as Array<[string, string | null]>).sort(byId),
      );
    });

    it('makes a meeting with its days, attendees and agenda, and keeps item ids across agenda edits', async () => {
      const sql = await make();
      const admin = await setupFirstAdmin(sql, { email: 'ada@example.org', name: 'Ada', password: PASSWORD });
      const made = await createMeeting(sql.db, admin.id, {
        title: ' Face-to-face ',
        series: 'DMLT',
        startDate: '2026-11-17',
        endDate: '2026-11-19',
        attendees: [{ name: 'Ann Lee', handle: 'ann' }, { name: 'Ben Ode' }],
        agenda: [{ date: '2026-11-18', blocks: [{ title: 'Morning', items: [{ topic: 'Budget', time: '09:00', coordinators: ['ann'] }, { topic: 'Hiring' }] }] }],
      });
      expect(made).toMatchObject({ title: 'Face-to-face', owner: { id: admin.id, name: 'Ada' }, attendees: [{ name: 'Ann Lee', handle: 'ann', email: null }, { name: 'Ben Ode', handle: null, email: null }] });
      expect(made.sessions.map((session) => session.date)).toEqual(['2026-11-17', '2026-11-18', '2026-11-19']);
      expect(await findSessionByDoc(sql.db, made.sessions[1]!.doc)).toEqual({ meetingId: made.id, sessionId: made.sessions[1]!.id, date: '2026-11-18' });
      const [budget, hiring] = made.agenda[0]!.blocks[0]!.items;

      // Items sent back keep their ids, whatever their new place; the one left out is deleted.
      const edited = await updateMeeting(sql.db, made.id, {
        endDate: '2026-11-20',
        agenda: [{ date: '2026-11-20', blocks: [{ items: [{ id: hiring!.id, topic: 'Hiring plan' }, { topic: 'Wrap-up' }] }] }],
      });
      expect(edited.sessions.map((session) => session.date)).toEqual(['2026-11-17', '2026-11-18', '2026-11-19', '2026-11-20']);
      expect(edited.agenda).toHaveLength(1);
      expect(edited.agenda[0]!.blocks[0]!.items.map((item) => [item.id === hiring!.id, item.topic])).toEqual([
        [true, 'Hiring plan'],
        [false, 'Wrap-up'],
      ]);
      expect(edited.agenda[0]!.blocks[0]!.items.some((item) => item.id === budget!.id)).toBe(false);

      // A timed item goes where its time says.
      await updateMeeting(sql.db, made.id, { agenda: [{ date: '2026-11-17', blocks: [{ items: [{ topic: 'Early', time: '08:00' }, { topic: 'Late', time: '16:00' }] }] }] });
      await insertAgendaItem(sql.db, made.id, { date: '2026-11-17', time: '12:00' }, { topic: 'Noon', minutes: 30, coordinators: [], preNotes: null });
      const day = (await getMeeting(sql.db, made.id))!.agenda.find((d) => d.date === '2026-11-17')!;
      expect(day.blocks[0]!.items.map((item) => item.topic)).toEqual(['Early', 'Noon', 'Late']);
      await expect(insertAgendaItem(sql.db, made.id, { date: '2027-01-01' }, { topic: 'Nope', minutes: null, coordinators: [], preNotes: null })).rejects.toMatchObject({ statusCode: 400 });
    });

    it('lists meetings upcoming and past, by series, and refuses a bad agenda whole', async () => {
      const sql = await make();
      const admin = await setupFirstAdmin(sql, { email: 'ada@example.org', name: 'Ada', password: PASSWORD });
      const old = await createMeeting(sql.db, admin.id, { title: 'Old', series: 'A', startDate: '2026-01-05', attendees: [] });
      const soon = await createMeeting(sql.db, admin.id, { title: 'Soon', series: 'B', startDate: '2026-12-10', attendees: [] });
      const later = await createMeeting(sql.db, admin.id, { title: 'Later', series: 'A', startDate: '2026-12-20', attendees: [] });
      const today = '2026-12-04';
      expect((await listMeetings(sql.db, { when: 'upcoming', today })).map((m) => m.id)).toEqual([soon.id, later.id]);
      expect((await listMeetings(sql.db, { when: 'past', today })).map((m) => m.id)).toEqual([old.id]);
      expect((await listMeetings(sql.db, { when: 'all', series: 'A', today })).map((m) => m.id)).toEqual([later.id, old.id]);
      await expect(
        updateMeeting(sql.db, soon.id, { title: 'Renamed', agenda: [{ date: '2026-12-10', blocks: [{ items: [{ topic: 'Fine' }, { topic: '  ' }] }] }] }),
      ).rejects.toMatchObject({ statusCode: 400 });
      expect((await getMeeting(sql.db, soon.id))!).toMatchObject({ title: 'Soon', agenda: [] });
      expect((await setClosed(sql.db, soon.id, true)).closed).toBe(true);
    });

    it('keeps proposals in the order they were made, also within one millisecond, and schedules, merges and unschedules them', async () => {
      const sql = await make();
      const admin = await setupFirstAdmin(sql, { email: 'ada@example.org', name: 'Ada', password: PASSWORD });
      const meeting = await createMeeting(sql.db, admin.id, { title: 'Weekly', startDate: '2026-12-10', attendees: [] });
      // Twenty in one go: several share a millisecond, and random ids would shuffle those.
      const topics = Array.from({ length: 20 }, (_, i) => `Topic ${i}`);
      await sql.transaction(async (trx) => {
        for (const topic of topics) await createProposal(trx, meeting.id, { topic }, { userId: admin.id });
      });
      const proposals = await listProposals(sql.db, meeting.id);
      expect(proposals.map((p) => p.topic)).toEqual(topics);

      await scheduleProposal(sql.db, meeting.id, proposals[0]!.id, { date: '2026-12-10' });
      await expect(scheduleProposal(sql.db, meeting.id, proposals[0]!.id, { date: '2026-12-10' })).rejects.toMatchObject({ statusCode: 409 });
      expect((await getMeeting(sql.db, meeting.id))!.agenda[0]!.blocks[0]!.items.map((item) => item.topic)).toEqual(['Topic 0']);

      const merged = await mergeProposal(sql.db, meeting.id, proposals[2]!.id, { kind: 'proposal', id: proposals[1]!.id });
      expect(merged).toMatchObject({ status: 'merged', mergedInto: { kind: 'proposal', id: proposals[1]!.id } });
      expect((await listProposals(sql.db, meeting.id))[1]!.notes).toBe('Merged: Topic 2');
      await expect(mergeProposal(sql.db, meeting.id, proposals[2]!.id, { kind: 'proposal', id: proposals[3]!.id })).rejects.toMatchObject({ statusCode: 409 });

      expect((await unscheduleProposal(sql.db, meeting.id, proposals[0]!.id)).status).toBe('unscheduled');
      expect((await getMeeting(sql.db, meeting.id))!.agenda.flatMap((d) => d.blocks.flatMap((b) => b.items))).toEqual([]);
    });

    it('indexes meetings and agenda items for search by trigger, and deletes a meeting with everything of it', async () => {
      const sql = await make();
      const admin = await setupFirstAdmin(sql, { email: 'ada@example.org', name: 'Ada', password: PASSWORD });
      const meeting = await createMeeting(sql.db, admin.id, {
        title: 'Quarterly review',
        series: 'Board',
        location: 'Room 4',
        startDate: '2026-12-10',
        attendees: [{ name: 'Ann' }],
        agenda: [{ date: '2026-12-10', blocks: [{ items: [{ topic: 'Budget', coordinators: ['ann', 'ben'], preNotes: 'numbers' }] }] }],
      });
      await createProposal(sql.db, meeting.id, { topic: 'Office move', requestedBy: 'Cy' }, {});
      const rows = await sql.db.selectFrom('search_docs').select(['kind', 'title', 'body', 'date']).where('meeting_id', '=', meeting.id).orderBy('kind').execute();
      expect(rows).toEqual([
        { kind: 'agenda', title: 'Budget', body: 'ann, ben numbers', date: '2026-12-10' },
        { kind: 'meeting', title: 'Quarterly review', body: 'Board Room 4', date: '2026-12-10' },
        { kind: 'proposal', title: 'Office move', body: 'Cy', date: '2026-12-10' },
      ]);
      const version = async () => (await sql.db.selectFrom('context_version').select('version').executeTakeFirstOrThrow()).version;
      const before = await version();
      await updateMeeting(sql.db, meeting.id, { title: 'Quarterly review (moved)', startDate: '2026-12-11' });
      expect(await version()).toBeGreaterThan(before);
      expect((await sql.db.selectFrom('search_docs').select(['title', 'date']).where('kind', '=', 'meeting').where('ref', '=', meeting.id).executeTakeFirstOrThrow())).toEqual({ title: 'Quarterly review (moved)', date: '2026-12-11' });

      const { docs } = await deleteMeeting(sql.db, meeting.id);
      expect(docs).toHaveLength(2);
      for (const table of ['search_docs', 'note_sessions', 'agenda_items', 'attendees', 'topic_proposals'] as const) {
        expect(await sql.db.selectFrom(table).selectAll().where('meeting_id', '=', meeting.id).execute()).toEqual([]);
      }
      await expect(deleteMeeting(sql.db, meeting.id)).rejects.toMatchObject({ statusCode: 404 });
    });

    it('attaches links and files to agenda items, keeping one copy of the same bytes until no attachment uses it', async () => {
      const sql = await make();
      const admin = await setupFirstAdmin(sql, { email: 'ada@example.org', name: 'Ada', password: PASSWORD });
      const agenda = [{ date: '2026-12-10', blocks: [{ items: [{ topic: 'Budget' }] }] }];
      const first = await createMeeting(sql.db, admin.id, { title: 'One', startDate: '2026-12-10', attendees: [], agenda });
      const second = await createMeeting(sql.db, admin.id, { title: 'Two', startDate: '2026-12-10', attendees: [], agenda });
      const itemOf = (meeting: typeof first) => meeting.agenda[0]!.blocks[0]!.items[0]!.id;
      const dataDir = mkdtempSync(join(tmpdir(), 'quorum-attachments-'));
      const bytesStore = sql.dialect === 'postgres' ? databaseBytes(sql.db) : fileBytes(dataDir);
      const store = new AttachmentStore(sql.db, bytesStore);
      const bytes = new TextEncoder().encode('minutes of the budget meeting\n');

      const link = await store.addLink(first.id, itemOf(first), 'https://example.org/plan', null, admin.id);
      const file = await store.addFile(first.id, itemOf(first), 'budget.txt', bytes, admin.id);
      const copy = await store.addFile(second.id, itemOf(second), 'budget.txt', bytes, null);
      await expect(store.addLink(first.id, itemOf(second), 'https://example.org', null, null)).rejects.toMatchObject({ statusCode: 404 });
      expect((await store.list(first.id)).map((a) => [a.kind, a.name]).sort()).toEqual([
        ['file', 'budget.txt'],
        ['link', 'example.org/plan'],
      ]);
      expect(Buffer.from((await store.read(second.id, copy.id)).bytes).toString()).toBe('minutes of the budget meeting\n');
      const hashes = await store.hashesOf(first.id);
      expect(hashes).toHaveLength(1);
      if (sql.dialect === 'sqlite') expect(existsSync(join(dataDir, 'attachments', hashes[0]!.slice(0, 2), hashes[0]!))).toBe(true);

      await store.remove(first.id, file.id);
      expect(await bytesStore.has(hashes[0]!)).toBe(true);
      await store.remove(second.id, copy.id);
      expect(await bytesStore.has(hashes[0]!)).toBe(false);
      await expect(store.read(first.id, link.id)).rejects.toMatchObject({ statusCode: 400 });
    });

    it('lists actions by assignee (handle, name, e-mail, raw @handle, All), status, series and due date, and carries them over', async () => {
      const sql = await make();
      const admin = await setupFirstAdmin(sql, { email: 'ada@example.org', name: 'Ada', password: PASSWORD });
      const attendees = [{ name: 'Kim Tal', handle: 'KTL', email: 'Kim@Example.org' }, { name: 'Lee Ode' }];
      const earlier = await createMeeting(sql.db, admin.id, { title: 'Week 1', series: 'Ops', startDate: '2026-11-02', attendees });
      const later = await createMeeting(sql.db, admin.id, { title: 'Week 2', series: 'Ops', startDate: '2026-11-09', attendees });
      const other = await createMeeting(sql.db, admin.id, { title: 'Board', series: 'Board', startDate: '2026-11-03', attendees: [{ name: 'Zed' }] });
      const attendeeId = async (meetingId: string, name: string) =>
        String((await sql.db.selectFrom('attendees').select('id').where('meeting_id', '=', meetingId).where('name', '=', name).executeTakeFirstOrThrow()).id);
      const at = '2026-11-02T10:00:00.000Z';
      let position = 0;
      const action = async (meeting: typeof earlier, id: string, fields: { assignees?: unknown[]; raw?: string[]; everyone?: 0 | 1; due?: string | null; done?: 0 | 1 }) => {
        await sql.db
          .insertInto('action_items')
          .values({
            id,
            doc: meeting.sessions[0]!.doc,
            meeting_id: meeting.id,
            session_id: meeting.sessions[0]!.id,
            agenda_item_id: null,
            description: `do ${id}`,
            source_text: `ACTION: do ${id}`,
            assignees_json: JSON.stringify(fields.assignees ?? []),
            assignee_text: JSON.stringify(fields.raw ?? []),
            everyone: fields.everyone ?? 0,
            due: fields.due ?? null,
            done: fields.done ?? 0,
            position: position++,
            removed_at: null,
            created_at: at,
            updated_at: at,
          })
          .execute();
      };
      await action(earlier, 'by-handle', { assignees: [{ id: await attendeeId(earlier.id, 'Kim Tal'), name: 'Kim Tal', handle: 'KTL' }], due: '2026-11-20' });
      await action(earlier, 'by-name', { assignees: [{ id: await attendeeId(earlier.id, 'Lee Ode'), name: 'Lee Ode', handle: null }], due: '2026-11-05' });
      await action(earlier, 'raw-handle', { raw: ['@ktl'] });
      await action(earlier, 'for-all', { everyone: 1 });
      await action(earlier, 'done-one', { assignees: [{ id: null, name: 'Kim Tal', handle: 'KTL' }], done: 1 });
      await action(other, 'for-all-board', { everyone: 1 });

      const ids = async (filter: Parameters<typeof listActions>[1]) => (await listActions(sql, filter)).map((a) => a.id);
      expect(await ids({ status: 'open', assignee: ['ktl'] })).toEqual(['by-handle', 'raw-handle', 'for-all']);
      // An e-mail reaches actions resolved to that attendee and All, not a raw @handle.
      expect(await ids({ status: 'open', assignee: ['KIM@example.ORG'] })).toEqual(['by-handle', 'for-all']);
      expect(await ids({ status: 'open', assignee: ['lee ode'] })).toEqual(['by-name', 'for-all']);
      expect(await ids({ status: 'open', assignee: ['zed'] })).toEqual(['for-all-board']);
      expect(await ids({ status: 'done' })).toEqual(['done-one']);
      expect(await ids({ status: 'open', series: 'Board' })).toEqual(['for-all-board']);
      expect(await ids({ status: 'open', dueBefore: '2026-11-10' })).toEqual(['by-name']);
      expect(await ids({ status: 'all', meetingIds: [other.id] })).toEqual(['for-all-board']);
      expect(await ids({ meetingIds: [] })).toEqual([]);
      // Soonest due first, undated last.
      expect(await ids({ status: 'open', series: 'Ops' })).toEqual(['by-name', 'by-handle', 'raw-handle', 'for-all']);
      expect(await getAction(sql.db, 'by-handle')).toMatchObject({ meetingTitle: 'Week 1', series: 'Ops', sessionDate: '2026-11-02', assignees: [{ name: 'Kim Tal', handle: 'KTL' }] });

      // Carried into the next meeting of the series once the earlier one is closed.
      expect(await listPastActions(sql.db, later.id)).toEqual([]);
      await setClosed(sql.db, earlier.id, true);
      expect((await listPastActions(sql.db, later.id)).map((a) => a.id)).toEqual(['by-handle', 'by-name', 'raw-handle', 'for-all']);
      expect(await listPastActions(sql.db, earlier.id)).toEqual([]);
    });

    it("keeps an extraction pass's records: inserted, edited, moved, removed and revived under the same id, never another document's", async () => {
      const sql = await make();
      const admin = await setupFirstAdmin(sql, { email: 'ada@example.org', name: 'Ada', password: PASSWORD });
      const meeting = await createMeeting(sql.db, admin.id, {
        title: 'Weekly',
        startDate: '2026-12-04',
        endDate: '2026-12-05',
        attendees: [{ name: 'Kim Tal', handle: 'KTL' }],
        agenda: [{ date: '2026-12-05', blocks: [{ items: [{ topic: 'Budget' }] }] }],
      });
      const [first, second] = meeting.sessions as [(typeof meeting.sessions)[0], (typeof meeting.sessions)[0]];
      // What the notes layer knows of a session document.
      // On SQLite the version is read with a statement of its own, beside the query layer.
      const lookup = queriedSessionLookup(sql.db, sql.sqlite);
      const context = (await lookup.describe(second.doc))!;
      expect(context).toMatchObject({ meetingId: meeting.id, sessionId: second.id, sessionDate: '2026-12-05', outline: { title: 'Weekly' } });
      expect(context.attendees).toEqual([expect.objectContaining({ name: 'Kim Tal', handle: 'KTL' })]);
      expect(context.outline.blocks[0]!.items.map((i) => i.topic)).toEqual(['Budget']);
      // Where a pass pushes the session's actions: every day of the meeting.
      expect(context.meetingDocs).toEqual([first.doc, second.doc]);
      expect(await lookup.describe('no-such-doc')).toBeNull();
      expect(await lookup.docsOfMeeting(meeting.id)).toEqual([first.doc, second.doc]);
      // One context per document and version, whoever asks (the notes, the search index, the
      // versions each hold it while the document is open), frozen: nobody changes what others hold.
      expect(await lookup.describe(second.doc)).toBe(context);
      const [together, alike] = await Promise.all([lookup.describe(first.doc), lookup.describe(first.doc)]);
      expect(together).toBe(alike);
      expect(Object.isFrozen(context) && Object.isFrozen(context.attendees[0]) && Object.isFrozen(context.outline.blocks[0]!.items)).toBe(true);
      const before = await lookup.version();
      await updateMeeting(sql.db, meeting.id, { title: 'Weekly sync' });
      expect(await lookup.version()).toBeGreaterThan(before);
      // Read again once anything it is made of changed.
      const renamed = (await lookup.describe(second.doc))!;
      expect(renamed).not.toBe(context);
      expect(renamed.outline.title).toBe('Weekly sync');
      expect(await lookup.describe(second.doc)).toBe(renamed);

      const store = new ActionStore(sql.db, sql.sqlite);
      const owner = { doc: first.doc, meetingId: meeting.id, sessionId: first.id };
      const action = (id: string, position: number, fields: Partial<ExtractedAction> = {}): ExtractedAction => ({
        id,
        agendaItemId: null,
        description: `do ${id}`,
        sourceText: `ACTION: do ${id}`,
        assignees: [],
        assigneeText: [],
        everyone: false,
        due: null,
        done: false,
        tickets: [],
        position,
        kind: 'line',
        ...fields,
      });
      const first1 = await store.applyPass(owner, [action('a1', 1), action('a2', 2)], '2026-12-04T10:00:00.000Z');
      expect(first1).toMatchObject({ removed: [], visible: true, reordered: true });
      expect(first1.present.map((r) => r.id)).toEqual(['a1', 'a2']);
      // Edited and moved above a1: one record changed, the order changed.
      const edit = await store.applyChanges(owner, [action('a2', 0, { done: true })], [], '2026-12-04T10:01:00.000Z');
      expect(edit.changed.map((r) => [r.id, r.done])).toEqual([['a2', true]]);
      expect((await store.list(first.doc)).map((r) => r.id)).toEqual(['a2', 'a1']);
      // Moved back alone: not a change of content, but the order is news.
      const moved = await store.applyChanges(owner, [action('a2', 3, { done: true })], [], '2026-12-04T10:02:00.000Z');
      expect(moved).toMatchObject({ changed: [], reordered: true, visible: true });
      expect(moved.present.map((r) => r.id)).toEqual(['a1', 'a2']);
      expect((await store.get('a2'))!.updatedAt).toBe('2026-12-04T10:01:00.000Z');
      // Gone, then back under the same id.
      const gone = await store.applyChanges(owner, [], ['a1'], '2026-12-04T10:03:00.000Z');
      expect(gone.removed).toEqual(['a1']);
      expect((await store.list(first.doc)).map((r) => r.id)).toEqual(['a2']);
      expect((await store.list(first.doc, { includeRemoved: true })).map((r) => [r.id, r.removed])).toEqual([['a1', true], ['a2', false]]);
      await store.applyChanges(owner, [action('a1', 1)], [], '2026-12-04T10:04:00.000Z');
      expect(await store.get('a1')).toMatchObject({ removed: false, createdAt: '2026-12-04T10:00:00.000Z', updatedAt: '2026-12-04T10:04:00.000Z', meetingTitle: 'Weekly sync' });
      // Another document's pass never touches these records, even when it names their ids.
      const other = { doc: second.doc, meetingId: meeting.id, sessionId: second.id };
      // They are reported as foreign (the notes layer gives those blocks fresh ids).
      const hijack = await store.applyChanges(other, [action('a1', 9, { description: 'hijacked' }), action('b1', 1)], ['a2'], '2026-12-04T10:05:00.000Z');
      expect(hijack).toMatchObject({ foreign: ['a1'], removed: [] });
      expect(hijack.changed.map((r) => r.id)).toEqual(['b1']);
      expect(await store.get('a1')).toMatchObject({ description: 'do a1', sessionId: first.id });
      expect(await store.get('a2')).toMatchObject({ removed: false });
      const pasted = await store.applyPass(other, [action('b1', 1), action('a2', 2, { description: 'pasted' })], '2026-12-04T10:05:30.000Z');
      expect(pasted).toMatchObject({ foreign: ['a2'], removed: [] });
      expect(pasted.present.map((r) => r.id)).toEqual(['b1']);
      expect(await store.get('a2')).toMatchObject({ description: 'do a2', sessionId: first.id });
      // A full pass reconciles: what it does not name is removed.
      const full = await store.applyPass(owner, [action('a2', 0, { done: true })], '2026-12-04T10:06:00.000Z');
      expect(full.removed).toEqual(['a1']);
      expect(full.present.map((r) => r.id)).toEqual(['a2']);
    });

    it('keeps versions as keyframes and deltas, numbered in order even when several are added at once, with their authors', async () => {
      const sql = await make();
      const admin = await setupFirstAdmin(sql, { email: 'ada@example.org', name: 'Ada', password: PASSWORD });
      const meeting = await createMeeting(sql.db, admin.id, { title: 'Weekly', startDate: '2026-12-10', endDate: '2026-12-11', attendees: [] });
      const [first, second] = meeting.sessions;
      const store = new VersionStore(sql.db);
      const ydoc = new Y.Doc();
      const text = ydoc.getText('t');
      const author = { userId: admin.id, name: 'Ada' };
      await store.recordAuthors(first!.doc, [ydoc.clientID], { id: admin.id, name: 'Ada' });
      await store.recordAuthors(first!.doc, [ydoc.clientID], { id: 'someone-else', name: 'Not Ada' });
      expect(await store.authors(first!.doc)).toEqual(new Map([[ydoc.clientID, author]]));

      // More than a keyframe's worth, all asked for at once: each gets the next number.
      const expected: string[] = [];
      const adding = [];
      for (let i = 0; i < KEYFRAME_EVERY + 4; i++) {
        text.insert(text.length, `${i} `);
        if (i % 5 === 4) text.delete(0, 2);
        expected.push(text.toString());
        adding.push(store.add({ doc: first!.doc, meetingId: meeting.id, sessionId: first!.id, kind: 'auto' }, Y.encodeStateAsUpdate(ydoc), await store.authors(first!.doc)));
      }
      const added = await Promise.all(adding);
      expect(added.map((v) => v.seq)).toEqual(expected.map((_, i) => i + 1));
      expect(added[0]!.authors).toEqual([{ name: 'Ada' }]);
      const listed = await store.list(first!.doc);
      expect(listed.map((v) => v.id)).toEqual(added.map((v) => v.id));
      for (const [i, version] of listed.entries()) {
        const copy = new Y.Doc();
        Y.applyUpdate(copy, (await store.state(version.id))!);
        expect(copy.getText('t').toString()).toBe(expected[i]);
      }
      expect(await store.lastStateVector(first!.doc)).toEqual(Y.encodeStateVector(ydoc));
      expect(await store.bytes(first!.doc)).toBeGreaterThan(0);
      expect(await store.state('no-such-version')).toBeNull();

      // The latest seal of each session, in the order of their days.
      const seal = (session: typeof first, sha256: string) =>
        store.add({ doc: session!.doc, meetingId: meeting.id, sessionId: session!.id, kind: 'sealed', sha256 }, Y.encodeStateAsUpdate(ydoc), new Map());
      await seal(second, 'b1');
      await seal(first, 'a1');
      await seal(first, 'a2');
      expect((await store.seals(meeting.id)).map((v) => v.sha256)).toEqual(['a2', 'b1']);

      await store.recordAuthorRanges(first!.doc, [{ client: 42, start: 0, end: 10, author }, { client: 42, start: 10, end: 20, author: { userId: 'u2', name: 'Ben' } }]);
      const authorship = await store.authorship(first!.doc);
      expect(authorship).toBeDefined();
      expect((await sql.db.selectFrom('document_author_ranges').select(['clock_start', 'name']).orderBy('clock_start').execute())).toEqual([
        { clock_start: 0, name: 'Ada' },
        { clock_start: 10, name: 'Ben' },
      ]);
    });

    it('searches words without their accents, phrases, prefixes and filters, titles first, and takes any text as words', async () => {
      const sql = await make();
      const admin = await setupFirstAdmin(sql, { email: 'ada@example.org', name: 'Ada', password: PASSWORD });
      const cafe = await createMeeting(sql.db, admin.id, {
        title: 'Café planning',
        series: 'ops',
        startDate: '2026-12-04',
        attendees: [],
        agenda: [{ date: '2026-12-04', blocks: [{ items: [{ topic: 'Budget review' }] }] }],
      });
      const board = await createMeeting(sql.db, admin.id, { title: 'Registry board', series: 'board', startDate: '2026-12-10', attendees: [] });
      const note = async (meeting: typeof cafe, body: string) =>
        sql.db
          .insertInto('search_docs')
          .values({ kind: 'note', ref: `${meeting.sessions[0]!.doc} ${body.length}`, meeting_id: meeting.id, session_id: meeting.sessions[0]!.id, agenda_item_id: null, date: meeting.startDate, title: 'Notes', body })
          .execute();
      await note(cafe, 'The butler registry migration is scheduled; coffee at the café after');
      await note(board, 'Nothing about the other thing');
      const found = async (text: string, options: Parameters<typeof searchWith>[2] = {}) => (await searchWith(sql, text, options)).map((r) => `${r.kind}:${r.meetingTitle}`);

      expect(await found('cafe')).toEqual(expect.arrayContaining(['meeting:Café planning', 'note:Café planning']));
      expect(await found('CAFÉ')).toEqual(expect.arrayContaining(['meeting:Café planning', 'note:Café planning']));
      expect(await found('butler regis')).toEqual(['note:Café planning']);
      expect(await found('"registry migration"')).toEqual(['note:Café planning']);
      expect(await found('"migration registry"')).toEqual([]);
      expect(await found('budget')).toEqual(['agenda:Café planning']);
      // In a title, a word weighs more than in a body.
      expect((await found('registry'))[0]).toBe('meeting:Registry board');
      expect(await found('registry', { series: 'ops' })).toEqual(['note:Café planning']);
      expect(await found('registry', { meetingId: board.id })).toEqual(['meeting:Registry board']);
      expect(await found('registry', { from: '2026-12-05' })).toEqual(['meeting:Registry board']);
      expect(await found('registry', { to: '2026-12-05' })).toEqual(['note:Café planning']);
      const [hit] = await searchWith(sql, 'butler registry');
      expect(hit!.snippet).toContain('\uE000butler\uE001 \uE000registry\uE001');
      // Nothing of either engine's query syntax gets through.
      for (const text of ["a & b | !c", "'", 'butler:*', 'NEAR(butler registry)', '(', '" OR "']) await expect(searchWith(sql, text)).resolves.toBeInstanceOf(Array);
    });

    it('writes all of a transaction or none of it', async () => {
      const sql = await make();
      const admin = await setupFirstAdmin(sql, { email: 'ada@example.org', name: 'Ada', password: PASSWORD });
      const meeting = await meetingOf(sql, admin.id);
      await expect(
        sql.transaction(async (trx) => {
          await createLink(trx, sealer, meeting, { role: 'follower', createdBy: null });
          throw new Error('changed my mind');
        }),
      ).rejects.toThrow('changed my mind');
      expect(await listLinksWithTokens(sql.db, sealer, meeting)).toEqual([]);
    });
  });
}
