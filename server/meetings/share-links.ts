/**
 * Share links: a role (notetaker or follower) on one meeting, carried by a bearer token. A
 * request is checked against the token's SHA-256 hash only; the token itself is kept sealed under
 * DATA_DIR's key (link-sealer.ts) so the owner can copy the address again at any time.
 */
import type { Db } from '../db/database.js';
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

export function createLink(
  db: Db,
  sealer: LinkSealer,
  meetingId: string,
  fields: { role: LinkRole; label?: string | null; createdBy: string | null },
): LinkRecord & { token: string } {
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
  db.prepare(
    'INSERT INTO share_links (id, meeting_id, role, token_hash, token_sealed, label, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  ).run(row.id, row.meeting_id, row.role, row.token_hash, sealer.seal(token), row.label, fields.createdBy, row.created_at);
  return { ...toLink(row), token };
}

/**
 * The meeting's links with their tokens where they can be unsealed (for its owner: the caller
 * checks). Revoked links carry none: their address opens nothing.
 */
export function listLinksWithTokens(db: Db, sealer: LinkSealer, meetingId: string): Array<LinkRecord & { token: string | null }> {
  const rows = db.prepare('SELECT * FROM share_links WHERE meeting_id = ? ORDER BY created_at, id').all(meetingId) as LinkRow[];
  return rows.map((row) => ({ ...toLink(row), token: row.revoked_at ? null : sealer.open(row.token_sealed ?? null) }));
}

function requireLink(db: Db, meetingId: string, linkId: string): LinkRow {
  const row = db.prepare('SELECT * FROM share_links WHERE id = ? AND meeting_id = ?').get(linkId, meetingId) as LinkRow | undefined;
  if (!row) throw notFound('no share link with this id in this meeting');
  return row;
}

/** Revoking is final; a revoked link stays listed (with `revokedAt`) for the record. */
export function revokeLink(db: Db, meetingId: string, linkId: string): LinkRecord {
  const row = requireLink(db, meetingId, linkId);
  // The sealed token goes too: nothing should keep a secret that opens nothing.
  if (!row.revoked_at) db.prepare('UPDATE share_links SET revoked_at = ?, token_sealed = NULL WHERE id = ?').run(now(), linkId);
  return toLink(requireLink(db, meetingId, linkId));
}

/** Gives the link a new token; the old one stops working at once. Revoked links cannot be rotated. */
export function rotateLink(db: Db, sealer: LinkSealer, meetingId: string, linkId: string): LinkRecord & { token: string } {
  const row = requireLink(db, meetingId, linkId);
  if (row.revoked_at) throw conflict('this share link is revoked; create a new one');
  const token = newToken();
  db.prepare('UPDATE share_links SET token_hash = ?, token_sealed = ?, rotated_at = ? WHERE id = ?').run(hashToken(token), sealer.seal(token), now(), linkId);
  return { ...toLink(requireLink(db, meetingId, linkId)), token };
}

export type TokenCheck = { status: 'valid'; link: LinkRecord } | { status: 'revoked' } | { status: 'unknown' };

/**
 * Resolves a presented token. The row is found by its hash (an index lookup on a digest of the
 * secret leaks nothing useful), then the digests are compared in constant time.
 */
export function checkToken(db: Db, token: string): TokenCheck {
  if (token.length === 0 || token.length > 200) return { status: 'unknown' };
  const digest = hashToken(token);
  const row = db.prepare('SELECT * FROM share_links WHERE token_hash = ?').get(digest) as LinkRow | undefined;
  if (!row || !sameHash(row.token_hash, digest)) return { status: 'unknown' };
  if (row.revoked_at) return { status: 'revoked' };
  return { status: 'valid', link: toLink(row) };
}

/** The meeting's links as its owner sees them: each with the address to share, where it can be unsealed. */
export function linkViews(db: Db, sealer: LinkSealer, publicUrl: string, meetingId: string): Array<ShareLink & { url: string | null }> {
  return listLinksWithTokens(db, sealer, meetingId).map(({ meetingId: meeting, token, ...link }) => ({ ...link, url: token === null ? null : shareUrl(publicUrl, meeting, token) }));
}
