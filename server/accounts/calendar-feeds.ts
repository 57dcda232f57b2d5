// Per-member private calendar feeds: a 256-bit bearer token in the URL (calendar apps cannot send
// cookies or headers when they poll), stored only as its SHA-256 hash, one per member, rotated by
// creating it again and revoked by deleting it.

import type { Db } from '../db/database.js';
import { hashToken, newToken, now } from '../ids.js';

export interface FeedOwner {
  id: string;
  name: string;
  email: string;
}

/** Path of a feed; the token is its only secret. */
export function feedPath(token: string): string {
  return `/api/calendar/${token}.ics`;
}

/** Creates the member's feed, or replaces its token (the old URL stops working at once). */
export function rotateFeed(db: Db, userId: string): string {
  const token = newToken();
  db.prepare(
    `INSERT INTO calendar_feeds (user_id, token_hash, created_at) VALUES (?, ?, ?)
     ON CONFLICT (user_id) DO UPDATE SET token_hash = excluded.token_hash, created_at = excluded.created_at`,
  ).run(userId, hashToken(token), now());
  return token;
}

/** True when a feed existed. */
export function revokeFeed(db: Db, userId: string): boolean {
  return db.prepare('DELETE FROM calendar_feeds WHERE user_id = ?').run(userId).changes > 0;
}

/**
 * The member a feed token belongs to, or null. Looked up by the token's digest (an index lookup
 * on a hash reveals nothing about the token through timing); removed members' feeds are dead.
 */
export function feedOwner(db: Db, token: string): FeedOwner | null {
  if (!/^[A-Za-z0-9_-]{20,200}$/.test(token)) return null;
  const row = db
    .prepare<[string], FeedOwner>(
      `SELECT u.id, u.name, u.email FROM calendar_feeds f JOIN users u ON u.id = f.user_id
        WHERE f.token_hash = ? AND u.removed_at IS NULL`,
    )
    .get(hashToken(token));
  return row ?? null;
}
