/**
 * Share links: a role (notetaker or follower) on one meeting, carried by a bearer token. A
 * request is checked against the token's SHA-256 hash only; the token itself is kept sealed under
 * DATA_DIR's key (link-sealer.ts) so the owner can copy the address again at any time.
 */
import type { Queries } from '../db/sql/index.js';
import type { LinkRole, ShareLink } from '../../shared/api/index.js';
import { conflict, notFound } from '../http-errors.js';
import { hashToken, newToken, now, randomId, sameHash } from '../ids.js';
import type { LinkSealer } from './link-sealer.js';

interface LinkRow {
  id: string;
  meeting_id: string;
  role: LinkRole;
  token_hash: string;
  label: string | null;
  created_at: string;
  rotated_at: string | null;
  revoked_at: string | null;
  token_sealed?: string | null;
}

export interface LinkRecord extends ShareLink {
  meetingId: string;
}

const toLink = (row: LinkRow): LinkRecord => ({
  id: row.id,
  meetingId: row.meeting_id,
  role: row.role,
  label: row.label,
  createdAt: row.created_at,
  rotatedAt: row.rotated_at,
  revokedAt: row.revoked_at,
});

export function shareUrl(publicUrl: string, meetingId: string, token: string): string {
  return `${publicUrl}/m/${encodeURIComponent(meetingId)}?token=${encodeURIComponent(token)}`;
}

export async function createLink(
  q: Queries,
  sealer: LinkSealer,
  meetingId: string,
  fields: { role: LinkRole; label?: string | null; createdBy: string | null },
): Promise<LinkRecord & { token: string }> {
  const token = newToken();
  const row: LinkRow = {
    id: randomId(),
    meeting_id: meetingId,
    role: fields.role,
    token_hash: hashToken(token),
    label: fields.label?.trim() || null,
    created_at: now(),
    rotated_at: null,
    revoked_at: null,
  };
  await q
    .insertInto('share_links')
    .values({ ...row, token_sealed: sealer.seal(token), created_by: fields.createdBy })
    .execute();
  return { ...toLink(row), token };
}

/**
 * The meeting's links with their tokens where they can be unsealed (for its owner: the caller
 * checks). Revoked links carry none: their address opens nothing.
 */
export async function listLinksWithTokens(q: Queries, sealer: LinkSealer, meetingId: string): Promise<Array<LinkRecord & { token: string | null }>> {
  const rows = await q.selectFrom('share_links').selectAll().where('meeting_id', '=', meetingId).orderBy('created_at').orderBy('id').execute();
  return rows.map((row) => ({ ...toLink(row), token: row.revoked_at ? null : sealer.open(row.token_sealed ?? null) }));
}

async function requireLink(q: Queries, meetingId: string, linkId: string): Promise<LinkRow> {
  const row = await q.selectFrom('share_links').selectAll().where('id', '=', linkId).where('meeting_id', '=', meetingId).executeTakeFirst();
  if (!row) throw notFound('no share link with this id in this meeting');
  return row;
}

/** Revoking is final; a revoked link stays listed (with `revokedAt`) for the record. */
export async function revokeLink(q: Queries, meetingId: string, linkId: string): Promise<LinkRecord> {
  const row = await requireLink(q, meetingId, linkId);
  // The sealed token goes too: nothing should keep a secret that opens nothing.
  if (!row.revoked_at) await q.updateTable('share_links').set({ revoked_at: now(), token_sealed: null }).where('id', '=', linkId).execute();
  return toLink(await requireLink(q, meetingId, linkId));
}

/** Gives the link a new token; the old one stops working at once. Revoked links cannot be rotated. */
export async function rotateLink(q: Queries, sealer: LinkSealer, meetingId: string, linkId: string): Promise<LinkRecord & { token: string }> {
  const token = newToken();
  // One statement that checks and rotates, so a revocation racing it (in another process) wins.
  const result = await q
    .updateTable('share_links')
    .set({ token_hash: hashToken(token), token_sealed: sealer.seal(token), rotated_at: now() })
    .where('id', '=', linkId)
    .where('meeting_id', '=', meetingId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) {
    await requireLink(q, meetingId, linkId);
    throw conflict('this share link is revoked; create a new one');
  }
  return { ...toLink(await requireLink(q, meetingId, linkId)), token };
}

export type TokenCheck = { status: 'valid'; link: LinkRecord } | { status: 'revoked' } | { status: 'unknown' };

/**
 * Resolves a presented token. The row is found by its hash (an index lookup on a digest of the
 * secret leaks nothing useful), then the digests are compared in constant time.
 */
export async function checkToken(q: Queries, token: string): Promise<TokenCheck> {
  if (token.length === 0 || token.length > 200) return { status: 'unknown' };
  const digest = hashToken(token);
  const row = await q.selectFrom('share_links').selectAll().where('token_hash', '=', digest).executeTakeFirst();
  if (!row || !sameHash(row.token_hash, digest)) return { status: 'unknown' };
  if (row.revoked_at) return { status: 'revoked' };
  return { status: 'valid', link: toLink(row) };
}

/** The meeting's links as its owner sees them: each with the address to share, where it can be unsealed. */
export async function linkViews(q: Queries, sealer: LinkSealer, publicUrl: string, meetingId: string): Promise<Array<ShareLink & { url: string | null }>> {
  return (await listLinksWithTokens(q, sealer, meetingId)).map(({ meetingId: meeting, token, ...link }) => ({ ...link, url: token === null ? null : shareUrl(publicUrl, meeting, token) }));
}
