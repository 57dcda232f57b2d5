/**
 * What the relational modules that run on the query layer (server/db/sql) must do on either
 * dialect: run by test/server/relational-sqlite.test.ts on SQLite and by
 * test/postgres/relational.test.ts on PostgreSQL. `make` gives an empty database.
 */
import { describe, expect, it } from 'vitest';
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

const PASSWORD = 'correct horse battery';
const sealer = sealerWithKey(Buffer.alloc(32, 7));

async function meetingOf(sql: Sql, ownerId: string): Promise<string> {
  const id = `m-${Math.random().toString(36).slice(2)}`;
  const at = new Date().toISOString();
  await sql.db
    .insertInto('meetings')
    .values({
      id,
      title: 'Weekly',
      series: null,
      start_date: '2026-12-04',
      end_date: '2026-12-04',
      timezone: null,
      location: null,
      join_url: null,
      join_text: null,
      owner_id: ownerId,
      closed_at: null,
      created_at: at,
      updated_at: at,
    })
    .execute();
  return id;
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
