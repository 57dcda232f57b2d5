// Per-member private calendar feeds: a 256-bit bearer token in the URL (calendar apps cannot send
// cookies or headers when they poll), stored only as its SHA-256 hash, one per member, rotated by
// creating it again and revoked by deleting it.

import type { Queries } from '../db/sql/index.js';
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
export async function rotateFeed(q: Queries, userId: string): Promise<string> {
  const token = newToken();
  await q
    .insertInto('calendar_feeds')
    .values({ user_id: userId, token_hash: hashToken(token), created_at: now() })
    .onConflict((oc) => oc.column('user_id').doUpdateSet((eb) => ({ token_hash: eb.ref('excluded.token_hash'), created_at: eb.ref('excluded.created_at') })))
    .execute();
  return token;
}

/** True when a feed existed. */
export async function revokeFeed(q: Queries, userId: string): Promise<boolean> {
  const result = await q.deleteFrom('calendar_feeds').where('user_id', '=', userId).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/**
 * The member a feed token belongs to, or null. Looked up by the token's digest (an index lookup
 * on a hash reveals nothing about the token through timing); removed members' feeds are dead.
 */
export async function feedOwner(q: Queries, token: string): Promise<FeedOwner | null> {
  if (!/^[A-Za-z0-9_-]{20,200}$/.test(token)) return null;
  const row = await q
    .selectFrom('calendar_feeds as f')
    .innerJoin('users as u', 'u.id', 'f.user_id')
    .select(['u.id', 'u.name', 'u.email'])
    .where('f.token_hash', '=', hashToken(token))
    .where('u.removed_at', 'is', null)
    .executeTakeFirst();
  return row ?? null;
}
