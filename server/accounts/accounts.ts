/**
 * Accounts: users, their login sessions and invites. Tokens for sessions and invites are random
 * 256-bit secrets; only their SHA-256 hashes are stored, so a copy of the database signs nobody in.
 */
import type { Db } from '../db/database.js';
import type { AccountRole, Invite, Member, User } from '../../shared/api/index.js';
import { conflict, forbidden, notFound } from '../http-errors.js';
import { hashToken, newToken, now, randomId } from '../ids.js';
import { decoyHash, hashPassword, verifyPassword } from './passwords.js';

export const SESSION_TTL_MS = 30 * 24 * 3600 * 1000;
export const INVITE_TTL_MS = 7 * 24 * 3600 * 1000;

interface UserRow {
  id: string;
  email: string;
  name: string;
  role: AccountRole;
  password_hash: string;
  created_at: string;
  removed_at: string | null;
}

const toUser = (row: UserRow): User => ({ id: row.id, email: row.email, name: row.name, role: row.role });

export function accountCount(db: Db): number {
  return (db.prepare('SELECT count(*) AS n FROM users').get() as { n: number }).n;
}

export function getUser(db: Db, id: string): User | null {
  const row = db.prepare('SELECT * FROM users WHERE id = ? AND removed_at IS NULL').get(id) as UserRow | undefined;
  return row ? toUser(row) : null;
}

async function insertUser(db: Db, fields: { email: string; name: string; password: string; role: AccountRole }): Promise<User> {
  const passwordHash = await hashPassword(fields.password);
  const user: User = { id: randomId(), email: fields.email.trim(), name: fields.name.trim(), role: fields.role };
  try {
    db.prepare('INSERT INTO users (id, email, name, role, password_hash, created_at) VALUES (?, ?, ?, ?, ?, ?)').run(
      user.id,
      user.email,
      user.name,
      user.role,
      passwordHash,
      now(),
    );
  } catch (error) {
    if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') throw conflict('an account with this e-mail already exists');
    throw error;
  }
  return user;
}

/**
 * Creates the first admin. The check and the insert run in one transaction after hashing, so two
 * concurrent setups cannot both succeed.
 */
export async function setupFirstAdmin(db: Db, fields: { email: string; name: string; password: string }): Promise<User> {
  if (accountCount(db) > 0) throw forbidden('setup is done: an account already exists');
  const passwordHash = await hashPassword(fields.password);
  const user: User = { id: randomId(), email: fields.email.trim(), name: fields.name.trim(), role: 'admin' };
  db.transaction(() => {
    if (accountCount(db) > 0) throw forbidden('setup is done: an account already exists');
    db.prepare('INSERT INTO users (id, email, name, role, password_hash, created_at) VALUES (?, ?, ?, ?, ?, ?)').run(
      user.id,
      user.email,
      user.name,
      'admin',
      passwordHash,
      now(),
    );
  })();
  return user;
}

/** The user for an e-mail and password, or null. Unknown e-mails cost the same scrypt time. */
export async function checkCredentials(db: Db, email: string, password: string): Promise<User | null> {
  const row = db.prepare('SELECT * FROM users WHERE email = ? AND removed_at IS NULL').get(email.trim()) as UserRow | undefined;
  if (!row) {
    await verifyPassword(password, await decoyHash());
    return null;
  }
  return (await verifyPassword(password, row.password_hash)) ? toUser(row) : null;
}

export function createLoginSession(db: Db, userId: string): { token: string; expiresAt: Date } {
  const token = newToken();
  const expiresAt = new Date(Date.now() + SESSION_TTL_MS);
  db.prepare('INSERT INTO login_sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)').run(
    hashToken(token),
    userId,
    now(),
    expiresAt.toISOString(),
  );
  return { token, expiresAt };
}

/** The signed-in user for a session cookie value, or null when unknown, expired or removed. */
export function userForSession(db: Db, token: string): User | null {
  const row = db
    .prepare(
      `SELECT u.* FROM login_sessions s JOIN users u ON u.id = s.user_id
       WHERE s.token_hash = ? AND s.expires_at > ? AND u.removed_at IS NULL`,
    )
    .get(hashToken(token), now()) as UserRow | undefined;
  return row ? toUser(row) : null;
}

export function deleteLoginSession(db: Db, token: string): void {
  db.prepare('DELETE FROM login_sessions WHERE token_hash = ?').run(hashToken(token));
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

export function createInvite(db: Db, createdBy: string, fields: { email?: string; role?: AccountRole }): Invite & { token: string } {
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
  db.prepare(
    'INSERT INTO invites (id, token_hash, email, role, created_by, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
  ).run(row.id, hashToken(token), row.email, row.role, createdBy, row.created_at, row.expires_at);
  return { ...toInvite(row), token };
}

export function listInvites(db: Db): Invite[] {
  const rows = db.prepare('SELECT * FROM invites WHERE revoked_at IS NULL ORDER BY created_at DESC').all() as InviteRow[];
  return rows.map(toInvite);
}

export function revokeInvite(db: Db, id: string): void {
  const result = db.prepare('UPDATE invites SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL AND accepted_at IS NULL').run(now(), id);
  if (result.changes === 0) throw notFound('no open invite with this id');
}

/** A pending invite by its token, for the page that accepts it (which e-mail it names, if any). */
export function openInvite(db: Db, token: string): Invite {
  const row = db
    .prepare('SELECT * FROM invites WHERE token_hash = ? AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > ?')
    .get(hashToken(token), now()) as InviteRow | undefined;
  if (!row) throw forbidden('this invite is unknown, used, revoked or expired');
  return toInvite(row);
}

/** Turns a pending invite into an account; an invite is used once. */
export async function acceptInvite(
  db: Db,
  token: string,
  fields: { name: string; password: string; email?: string },
): Promise<User> {
  const find = () =>
    db
      .prepare('SELECT * FROM invites WHERE token_hash = ? AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > ?')
      .get(hashToken(token), now()) as InviteRow | undefined;
  const invite = find();
  if (!invite) throw forbidden('this invite is unknown, used, revoked or expired');
  const email = invite.email ?? fields.email;
  if (!email) throw forbidden('this invite names no e-mail: give one');
  const user = await insertUser(db, { email, name: fields.name, password: fields.password, role: invite.role });
  const claimed = db
    .prepare('UPDATE invites SET accepted_at = ?, accepted_by = ? WHERE id = ? AND accepted_at IS NULL')
    .run(now(), user.id, invite.id);
  if (claimed.changes === 0) {
    // Someone accepted the same invite while we hashed: undo ours.
    db.prepare('DELETE FROM users WHERE id = ?').run(user.id);
    throw forbidden('this invite is unknown, used, revoked or expired');
  }
  return user;
}

export function listMembers(db: Db): Member[] {
  const rows = db.prepare('SELECT * FROM users WHERE removed_at IS NULL ORDER BY created_at').all() as UserRow[];
  return rows.map((row) => ({ ...toUser(row), createdAt: row.created_at }));
}

/** Removes a member: they can no longer sign in and every login session of theirs ends. */
export function removeMember(db: Db, id: string): void {
  db.transaction(() => {
    const result = db.prepare('UPDATE users SET removed_at = ? WHERE id = ? AND removed_at IS NULL').run(now(), id);
    if (result.changes === 0) throw notFound('no member with this id');
    db.prepare('DELETE FROM login_sessions WHERE user_id = ?').run(id);
  })();
}

export function adminCount(db: Db): number {
  return (db.prepare("SELECT count(*) AS n FROM users WHERE role = 'admin' AND removed_at IS NULL").get() as { n: number }).n;
}
