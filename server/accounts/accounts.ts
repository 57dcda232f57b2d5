/**
 * Accounts: users, their login sessions, invites and password resets. Tokens for sessions,
 * invites and resets are random 256-bit secrets; only their SHA-256 hashes are stored, so a copy
 * of the database signs nobody in.
 */
import { sql } from 'kysely';
import { atomically, isUniqueViolation, type Queries, type Sql } from '../db/sql/index.js';
import type { AccountRole, Invite, Member, User } from '../../shared/api/index.js';
import { badRequest, conflict, forbidden, notFound } from '../http-errors.js';
import { hashToken, newToken, now, randomId } from '../ids.js';
import { decoyHash, hashPassword, verifyPassword } from './passwords.js';

export const SESSION_TTL_MS = 30 * 24 * 3600 * 1000;
export const INVITE_TTL_MS = 7 * 24 * 3600 * 1000;
export const RESET_TTL_MS = 24 * 3600 * 1000;

interface UserRow {
  id: string;
  email: string;
  name: string;
  role: AccountRole;
  created_at: string;
}

const toUser = (row: UserRow): User => ({ id: row.id, email: row.email, name: row.name, role: row.role });

/** E-mail addresses match without regard to ASCII case, in both dialects (SQLite's NOCASE). */
const sameEmail = (email: string) => sql<boolean>`lower(email) = ${email.trim().toLowerCase()}`;

export async function accountCount(q: Queries): Promise<number> {
  const row = await q.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function getUser(q: Queries, id: string): Promise<User | null> {
  const row = await q.selectFrom('users').selectAll().where('id', '=', id).where('removed_at', 'is', null).executeTakeFirst();
  return row ? toUser(row) : null;
}

/**
 * Creates the first admin. The check and the insert run in one serializable transaction after
 * hashing, so two concurrent setups (two processes, even) cannot both succeed.
 */
export async function setupFirstAdmin(sqlDb: Sql, fields: { email: string; name: string; password: string }): Promise<User> {
  if ((await accountCount(sqlDb.db)) > 0) throw forbidden('setup is done: an account already exists');
  const passwordHash = await hashPassword(fields.password);
  const user: User = { id: randomId(), email: fields.email.trim(), name: fields.name.trim(), role: 'admin' };
  await sqlDb.transaction(
    async (trx) => {
      if ((await accountCount(trx)) > 0) throw forbidden('setup is done: an account already exists');
      await trx
        .insertInto('users')
        .values({ id: user.id, email: user.email, name: user.name, role: 'admin', password_hash: passwordHash, created_at: now(), removed_at: null })
        .execute();
    },
    { serializable: true },
  );
  return user;
}

/** The member with an e-mail address, or null. */
export async function memberByEmail(q: Queries, email: string): Promise<User | null> {
  const row = await q.selectFrom('users').selectAll().where(sameEmail(email)).where('removed_at', 'is', null).executeTakeFirst();
  return row ? toUser(row) : null;
}

/** The user for an e-mail and password, or null. Unknown e-mails cost the same scrypt time. */
export async function checkCredentials(q: Queries, email: string, password: string): Promise<User | null> {
  const row = await q.selectFrom('users').selectAll().where(sameEmail(email)).where('removed_at', 'is', null).executeTakeFirst();
  if (!row) {
    await verifyPassword(password, await decoyHash());
    return null;
  }
  return (await verifyPassword(password, row.password_hash)) ? toUser(row) : null;
}

export async function createLoginSession(q: Queries, userId: string): Promise<{ token: string; expiresAt: Date }> {
  const token = newToken();
  const expiresAt = new Date(Date.now() + SESSION_TTL_MS);
  await q
    .insertInto('login_sessions')
    .values({ token_hash: hashToken(token), user_id: userId, created_at: now(), expires_at: expiresAt.toISOString() })
    .execute();
  return { token, expiresAt };
}

/** The signed-in user for a session cookie value, or null when unknown, expired or removed. */
export async function userForSession(q: Queries, token: string): Promise<User | null> {
  const row = await q
    .selectFrom('login_sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .select(['u.id', 'u.email', 'u.name', 'u.role', 'u.created_at'])
    .where('s.token_hash', '=', hashToken(token))
    .where('s.expires_at', '>', now())
    .where('u.removed_at', 'is', null)
    .executeTakeFirst();
  return row ? toUser(row) : null;
}

export async function deleteLoginSession(q: Queries, token: string): Promise<void> {
  await q.deleteFrom('login_sessions').where('token_hash', '=', hashToken(token)).execute();
}

interface InviteRow {
  id: string;
  email: string | null;
  role: AccountRole;
  created_at: string;
  expires_at: string;
  accepted_at: string | null;
  revoked_at: string | null;
}

const toInvite = (row: InviteRow): Invite => ({
  id: row.id,
  email: row.email,
  role: row.role,
  createdAt: row.created_at,
  expiresAt: row.expires_at,
  acceptedAt: row.accepted_at,
});

export async function createInvite(q: Queries, createdBy: string, fields: { email?: string; role?: AccountRole }): Promise<Invite & { token: string }> {
  const token = newToken();
  const row: InviteRow = {
    id: randomId(),
    email: fields.email?.trim() ?? null,
    role: fields.role ?? 'member',
    created_at: now(),
    expires_at: new Date(Date.now() + INVITE_TTL_MS).toISOString(),
    accepted_at: null,
    revoked_at: null,
  };
  await q
    .insertInto('invites')
    .values({ ...row, token_hash: hashToken(token), created_by: createdBy, accepted_by: null })
    .execute();
  return { ...toInvite(row), token };
}

export async function listInvites(q: Queries): Promise<Invite[]> {
  const rows = await q.selectFrom('invites').selectAll().where('revoked_at', 'is', null).orderBy('created_at', 'desc').execute();
  return rows.map(toInvite);
}

export async function revokeInvite(q: Queries, id: string): Promise<void> {
  const result = await q
    .updateTable('invites')
    .set({ revoked_at: now() })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .where('accepted_at', 'is', null)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) throw notFound('no open invite with this id');
}

function pendingInvite(q: Queries, token: string) {
  return q
    .selectFrom('invites')
    .selectAll()
    .where('token_hash', '=', hashToken(token))
    .where('accepted_at', 'is', null)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now())
    .executeTakeFirst();
}

/** A pending invite by its token, for the page that accepts it (which e-mail it names, if any). */
export async function openInvite(q: Queries, token: string): Promise<Invite> {
  const row = await pendingInvite(q, token);
  if (!row) throw forbidden('this invite is unknown, used, revoked or expired');
  return toInvite(row);
}

const INVITE_GONE = 'this invite is unknown, used, revoked or expired';

/**
 * Turns a pending invite into an account; an invite is used once. A removed member invited
 * again comes back as themselves: the meetings they own and the actions assigned to them are
 * theirs again (and their address belongs to their old account, so a new one could not be made).
 */
export async function acceptInvite(q: Queries, token: string, fields: { name: string; password: string; email?: string }): Promise<User> {
  const invite = await pendingInvite(q, token);
  if (!invite) throw forbidden(INVITE_GONE);
  const email = (invite.email ?? fields.email)?.trim();
  if (!email) throw forbidden('this invite names no e-mail: give one');
  const passwordHash = await hashPassword(fields.password);
  return atomically(q, async (trx) => {
    const former = await trx.selectFrom('users').select(['id', 'email']).where(sameEmail(email)).where('removed_at', 'is not', null).executeTakeFirst();
    const user: User = { id: former?.id ?? randomId(), email: former?.email ?? email, name: fields.name.trim(), role: invite.role };
    // Claimed first, in the same transaction: of two acceptances of one invite, one wins.
    const claimed = await trx
      .updateTable('invites')
      .set({ accepted_at: now(), accepted_by: null })
      .where('id', '=', invite.id)
      .where('accepted_at', 'is', null)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) === 0) throw forbidden(INVITE_GONE);
    if (former) {
      await trx.updateTable('users').set({ name: user.name, role: user.role, password_hash: passwordHash, removed_at: null }).where('id', '=', user.id).execute();
    } else {
      try {
        await trx
          .insertInto('users')
          .values({ id: user.id, email: user.email, name: user.name, role: user.role, password_hash: passwordHash, created_at: now(), removed_at: null })
          .execute();
      } catch (error) {
        if (isUniqueViolation(error)) throw conflict('an account with this e-mail already exists');
        throw error;
      }
    }
    await trx.updateTable('invites').set({ accepted_by: user.id }).where('id', '=', invite.id).execute();
    return user;
  });
}

export async function listMembers(q: Queries): Promise<Member[]> {
  const rows = await q.selectFrom('users').selectAll().where('removed_at', 'is', null).orderBy('created_at').execute();
  return rows.map((row) => ({ ...toUser(row), createdAt: row.created_at }));
}

/** Removes a member: they can no longer sign in and every login session of theirs ends. */
export async function removeMember(sqlDb: Sql, id: string): Promise<void> {
  await sqlDb.transaction(async (trx) => {
    const result = await trx.updateTable('users').set({ removed_at: now() }).where('id', '=', id).where('removed_at', 'is', null).executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) throw notFound('no member with this id');
    await trx.deleteFrom('login_sessions').where('user_id', '=', id).execute();
  });
}

export async function adminCount(q: Queries): Promise<number> {
  const row = await q
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('role', '=', 'admin')
    .where('removed_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** A member's own name, as pages and exports show it. */
export async function renameUser(q: Queries, id: string, name: string): Promise<User> {
  if (name.trim() === '') throw badRequest('name must not be blank');
  await q.updateTable('users').set({ name: name.trim() }).where('id', '=', id).where('removed_at', 'is', null).execute();
  const user = await getUser(q, id);
  if (!user) throw notFound('no member with this id');
  return user;
}

/** Sets a member's password and ends every login session of theirs but `keep` (the one asking). */
async function setPassword(q: Queries, id: string, passwordHash: string, keep?: string): Promise<void> {
  await q.updateTable('users').set({ password_hash: passwordHash }).where('id', '=', id).execute();
  let ended = q.deleteFrom('login_sessions').where('user_id', '=', id);
  if (keep !== undefined) ended = ended.where('token_hash', '!=', hashToken(keep));
  await ended.execute();
}

/**
 * A member changes their own password, giving the current one (a session left open on a shared
 * computer must not be enough): null when that is wrong. Their other sessions end: changing a
 * password is what someone does who fears it is known.
 */
export async function changePassword(q: Queries, id: string, current: string, next: string, session: string): Promise<true | null> {
  const row = await q.selectFrom('users').select(['password_hash']).where('id', '=', id).where('removed_at', 'is', null).executeTakeFirst();
  if (!row) throw notFound('no member with this id');
  if (!(await verifyPassword(current, row.password_hash))) return null;
  const passwordHash = await hashPassword(next);
  await atomically(q, (trx) => setPassword(trx, id, passwordHash, session));
  return true;
}

/** Makes a member an admin or a member; there is always an admin left. */
export async function setRole(sqlDb: Sql, id: string, role: AccountRole): Promise<User> {
  await sqlDb.transaction(
    async (trx) => {
      const user = await getUser(trx, id);
      if (!user) throw notFound('no member with this id');
      if (user.role === 'admin' && role !== 'admin' && (await adminCount(trx)) <= 1) throw badRequest('the last admin cannot stop being one');
      await trx.updateTable('users').set({ role }).where('id', '=', id).execute();
    },
    { serializable: true },
  );
  return (await getUser(sqlDb.db, id))!;
}

/**
 * A one-time link for a member who forgot their password, made by an admin (who sends it) or by
 * the command line (for the admin). One link at a time per member: a new one withdraws the last.
 */
export async function createPasswordReset(q: Queries, userId: string, createdBy: string | null): Promise<{ token: string; expiresAt: string }> {
  const user = await getUser(q, userId);
  if (!user) throw notFound('no member with this id');
  const token = newToken();
  const expiresAt = new Date(Date.now() + RESET_TTL_MS).toISOString();
  await atomically(q, async (trx) => {
    await trx.updateTable('password_resets').set({ revoked_at: now() }).where('user_id', '=', userId).where('used_at', 'is', null).where('revoked_at', 'is', null).execute();
    await trx
      .insertInto('password_resets')
      .values({ id: randomId(), token_hash: hashToken(token), user_id: userId, created_by: createdBy, created_at: now(), expires_at: expiresAt, used_at: null, revoked_at: null })
      .execute();
  });
  return { token, expiresAt };
}

/** Where a password link's page is. */
export const passwordResetUrl = (publicUrl: string, token: string): string => `${publicUrl}/reset-password?token=${encodeURIComponent(token)}`;

const RESET_GONE = 'this password link is unknown, used, withdrawn or expired';

function pendingReset(q: Queries, token: string) {
  return q
    .selectFrom('password_resets as r')
    .innerJoin('users as u', 'u.id', 'r.user_id')
    .select(['r.id', 'r.user_id', 'u.email', 'u.name'])
    .where('r.token_hash', '=', hashToken(token))
    .where('r.used_at', 'is', null)
    .where('r.revoked_at', 'is', null)
    .where('r.expires_at', '>', now())
    .where('u.removed_at', 'is', null)
    .executeTakeFirst();
}

/** Whose password a pending link sets, for its page. */
export async function openPasswordReset(q: Queries, token: string): Promise<{ email: string; name: string }> {
  const reset = await pendingReset(q, token);
  if (!reset) throw forbidden(RESET_GONE);
  return { email: reset.email, name: reset.name };
}

/** Sets the password a link is for, once; every session of the member ends. */
export async function usePasswordReset(q: Queries, token: string, password: string): Promise<User> {
  const reset = await pendingReset(q, token);
  if (!reset) throw forbidden(RESET_GONE);
  const passwordHash = await hashPassword(password);
  await atomically(q, async (trx) => {
    const used = await trx.updateTable('password_resets').set({ used_at: now() }).where('id', '=', reset.id).where('used_at', 'is', null).where('revoked_at', 'is', null).executeTakeFirst();
    if (Number(used.numUpdatedRows) === 0) throw forbidden(RESET_GONE);
    await setPassword(trx, reset.user_id, passwordHash);
  });
  return (await getUser(q, reset.user_id))!;
}
