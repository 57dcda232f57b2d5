/** Accounts: first-admin setup, login, logout, who am I and one's own account, invites, members and password links. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import {
  AcceptInviteBody,
  CreatedInvite,
  CreatedPasswordReset,
  ErrorBody,
  IdParams,
  InviteBody,
  InviteList,
  InviteTokenBody,
  Invite,
  LoginBody,
  MemberList,
  MeResponse,
  PasswordResetInfo,
  SetupBody,
  SetupStatus,
  UpdateMeBody,
  UpdateMemberBody,
  UsePasswordResetBody,
  UserResponse,
} from '../../shared/api/index.js';
import {
  acceptInvite,
  accountCount,
  adminCount,
  changePassword,
  checkCredentials,
  createInvite,
  createLoginSession,
  createPasswordReset,
  deleteLoginSession,
  getUser,
  listInvites,
  listMembers,
  openInvite,
  openPasswordReset,
  passwordResetUrl,
  removeMember,
  renameUser,
  revokeInvite,
  setRole,
  setupFirstAdmin,
  usePasswordReset,
} from '../accounts/accounts.js';
import { badRequest, forbidden, HttpError } from '../http-errors.js';
import { hashToken } from '../ids.js';
import { clearSessionCookie, requireAdmin, requireMember, SESSION_COOKIE, setSessionCookie } from '../plugins/auth.js';

const tags = ['accounts'];
const NoContent = Type.Null({ description: 'no content' });

export async function authRoutes(base: FastifyInstance): Promise<void> {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();

  app.get('/api/setup', { schema: { tags, summary: 'Whether the first admin account still has to be created', response: { 200: SetupStatus } } }, async () => ({
    needed: (await accountCount(app.sql.db)) === 0,
  }));

  app.post(
    '/api/setup',
    {
      schema: {
        tags,
        summary: 'Create the first admin (only while no account exists); signs it in',
        body: SetupBody,
        response: { 201: UserResponse, 400: ErrorBody, 403: ErrorBody },
      },
    },
    async (request, reply) => {
      const user = await setupFirstAdmin(app.sql, request.body);
      const session = await createLoginSession(app.sql.db, user.id);
      setSessionCookie(request, reply, session.token, session.expiresAt);
      request.log.info({ userId: user.id }, 'first admin created');
      return reply.code(201).send({ user });
    },
  );

  app.post(
    '/api/login',
    {
      schema: {
        tags,
        summary: 'Sign in; sets the httpOnly session cookie',
        body: LoginBody,
        response: { 200: UserResponse, 400: ErrorBody, 401: ErrorBody, 429: ErrorBody },
      },
    },
    async (request, reply) => {
      const { email, password } = request.body;
      const user = await throttled(app, request, reply, email, 'failed logins', () => checkCredentials(app.sql.db, email, password));
      if (!user) {
        request.log.info({ ip: request.ip }, 'failed login');
        throw new HttpError(401, 'wrong e-mail or password');
      }
      const session = await createLoginSession(app.sql.db, user.id);
      setSessionCookie(request, reply, session.token, session.expiresAt);
      return { user };
    },
  );

  app.post(
    '/api/logout',
    { schema: { tags, summary: 'Sign out: ends this session and clears the cookie', response: { 204: NoContent } } },
    async (request, reply) => {
      const token = request.cookies[SESSION_COOKIE];
      if (token) await deleteLoginSession(app.sql.db, token);
      clearSessionCookie(request, reply);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/me',
    { schema: { tags, summary: 'The signed-in member, or the share link a guest presents', response: { 200: MeResponse, 401: ErrorBody, 403: ErrorBody } } },
    async (request) => {
      const principal = request.principal;
      if (principal.kind === 'guest') {
        return { kind: 'guest' as const, link: { id: principal.link.id, meetingId: principal.link.meetingId, role: principal.link.role } };
      }
      return { kind: 'member' as const, user: requireMember(request).user };
    },
  );

  app.patch(
    '/api/me',
    {
      schema: {
        tags,
        summary: 'Change your own name or password (members; the password with the current one, and your other sessions end)',
        body: UpdateMeBody,
        response: { 200: UserResponse, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 429: ErrorBody },
      },
    },
    async (request, reply) => {
      const { user } = requireMember(request);
      const { name, password } = request.body;
      if (password) {
        // The current password is guessed no faster here than at sign-in (a session left open).
        const session = request.cookies[SESSION_COOKIE] ?? '';
        const changed = await throttled(app, request, reply, user.email, 'wrong passwords', () => changePassword(app.sql.db, user.id, password.current, password.next, session));
        if (!changed) throw forbidden('the current password is wrong');
        // The other sessions ended; so do the live connections they opened.
        app.events.publish({ type: 'sessions-ended', userId: user.id, kept: session === '' ? null : hashToken(session) });
        request.log.info({ userId: user.id }, 'password changed');
      }
      return { user: name !== undefined ? await renameUser(app.sql.db, user.id, name) : ((await getUser(app.sql.db, user.id)) ?? user) };
    },
  );

  app.post(
    '/api/invites',
    {
      schema: {
        tags,
        summary: 'Invite a member (admins): answers the one-time invite URL',
        body: InviteBody,
        response: { 201: CreatedInvite, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody },
      },
    },
    async (request, reply) => {
      const admin = requireAdmin(request);
      const invite = await createInvite(app.sql.db, admin.user.id, request.body);
      const url = `${app.config.publicUrl}/invite?token=${encodeURIComponent(invite.token)}`;
      return reply.code(201).send({ ...invite, url });
    },
  );

  app.get(
    '/api/invites',
    { schema: { tags, summary: 'Open and accepted invites (admins)', response: { 200: InviteList, 401: ErrorBody, 403: ErrorBody } } },
    async (request) => {
      requireAdmin(request);
      return { invites: await listInvites(app.sql.db) };
    },
  );

  app.delete(
    '/api/invites/:id',
    { schema: { tags, summary: 'Revoke an open invite (admins)', params: IdParams, response: { 204: NoContent, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody } } },
    async (request, reply) => {
      requireAdmin(request);
      await revokeInvite(app.sql.db, request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/invites/lookup',
    {
      schema: {
        tags,
        summary: 'What a pending invite is for (the e-mail it names, the role): for the page that accepts it',
        body: InviteTokenBody,
        response: { 200: Invite, 400: ErrorBody, 403: ErrorBody },
      },
    },
    async (request) => openInvite(app.sql.db, request.body.token),
  );

  app.post(
    '/api/invites/accept',
    {
      schema: {
        tags,
        summary: 'Accept an invite: creates the account and signs it in',
        body: AcceptInviteBody,
        response: { 201: UserResponse, 400: ErrorBody, 403: ErrorBody, 409: ErrorBody },
      },
    },
    async (request, reply) => {
      const { token, ...fields } = request.body;
      const user = await acceptInvite(app.sql.db, token, fields);
      const session = await createLoginSession(app.sql.db, user.id);
      setSessionCookie(request, reply, session.token, session.expiresAt);
      request.log.info({ userId: user.id }, 'invite accepted');
      return reply.code(201).send({ user });
    },
  );

  app.get(
    '/api/members',
    { schema: { tags, summary: 'Every member account (admins)', response: { 200: MemberList, 401: ErrorBody, 403: ErrorBody } } },
    async (request) => {
      requireAdmin(request);
      return { members: await listMembers(app.sql.db) };
    },
  );

  app.delete(
    '/api/members/:id',
    {
      schema: {
        tags,
        summary: 'Remove a member (admins): signs them out everywhere and closes their live connections',
        params: IdParams,
        response: { 204: NoContent, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody },
      },
    },
    async (request, reply) => {
      const admin = requireAdmin(request);
      const id = request.params.id;
      if (id === admin.user.id) throw badRequest('you cannot remove yourself');
      const target = await getUser(app.sql.db, id);
      if (target?.role === 'admin' && (await adminCount(app.sql.db)) <= 1) throw badRequest('the last admin cannot be removed');
      await removeMember(app.sql, id);
      const closed = app.events.publish({ type: 'member-removed', userId: id });
      request.log.info({ userId: id, closed }, 'member removed');
      return reply.code(204).send(null);
    },
  );
  app.patch(
    '/api/members/:id',
    {
      schema: {
        tags,
        summary: 'Make a member an admin, or an admin a member (admins); there is always an admin left',
        params: IdParams,
        body: UpdateMemberBody,
        response: { 200: UserResponse, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody },
      },
    },
    async (request) => {
      requireAdmin(request);
      const user = await setRole(app.sql, request.params.id, request.body.role);
      request.log.info({ userId: user.id, role: user.role }, 'member role set');
      return { user };
    },
  );

  app.post(
    '/api/members/:id/password-reset',
    {
      schema: {
        tags,
        summary: 'A one-time link (24 hours) for a member who forgot their password (admins); a new one withdraws the last',
        description: 'The link holds its token and is shown only in this answer; the server keeps only its hash. Sending it is up to the admin.',
        params: IdParams,
        response: { 201: CreatedPasswordReset, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody },
      },
    },
    async (request, reply) => {
      const admin = requireAdmin(request);
      const reset = await createPasswordReset(app.sql.db, request.params.id, admin.user.id);
      request.log.info({ userId: request.params.id }, 'password link made');
      return reply.code(201).send({ url: passwordResetUrl(app.config.publicUrl, reset.token), expiresAt: reset.expiresAt });
    },
  );

  app.post(
    '/api/password-resets/lookup',
    {
      schema: {
        tags,
        summary: 'Whose password a pending link sets: for the page that uses it',
        body: InviteTokenBody,
        response: { 200: PasswordResetInfo, 400: ErrorBody, 403: ErrorBody },
      },
    },
    async (request) => openPasswordReset(app.sql.db, request.body.token),
  );

  app.post(
    '/api/password-resets/accept',
    {
      schema: {
        tags,
        summary: 'Set a new password with a one-time link: every other session ends, and this one is signed in',
        body: UsePasswordResetBody,
        response: { 200: UserResponse, 400: ErrorBody, 403: ErrorBody },
      },
    },
    async (request, reply) => {
      const user = await usePasswordReset(app.sql.db, request.body.token, request.body.password);
      app.events.publish({ type: 'sessions-ended', userId: user.id, kept: null });
      const session = await createLoginSession(app.sql.db, user.id);
      setSessionCookie(request, reply, session.token, session.expiresAt);
      request.log.info({ userId: user.id }, 'password set with a link');
      return { user };
    },
  );
}

/**
 * A password check under the login throttle (sign-in, and the current password when changing it):
 * 429 with Retry-After while the throttle holds; a check answering null, or failing, counts
 * against `key` and the caller's address.
 */
async function throttled<T>(app: FastifyInstance, request: FastifyRequest, reply: FastifyReply, key: string, what: string, check: () => Promise<T | null>): Promise<T | null> {
  const wait = app.loginThrottle.retryAfterMs(key, request.ip);
  if (wait > 0) {
    const seconds = Math.ceil(wait / 1000);
    void reply.header('retry-after', String(seconds));
    throw new HttpError(429, `too many ${what}; try again in ${seconds} s`);
  }
  app.loginThrottle.attempt(key, request.ip);
  let result: T | null;
  try {
    result = await check();
  } catch (error) {
    app.loginThrottle.failed(key, request.ip);
    throw error;
  }
  if (result === null) app.loginThrottle.failed(key, request.ip);
  else app.loginThrottle.succeeded(key, request.ip);
  return result;
}
