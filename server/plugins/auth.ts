/**
 * Who is calling: a member signed in with the session cookie, a guest presenting a share token
 * (`?token=` or `Authorization: Bearer`), or nobody. Resolved once per API request into
 * `request.principal`; the collaboration endpoint uses the same `resolvePrincipal`.
 *
 * Also refuses cookie-authenticated state changes whose Origin is foreign (cross-site request
 * forgery), and carries the login throttle.
 */
import fastifyCookie from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { IncomingHttpHeaders } from 'node:http';
import { userForSession } from '../accounts/accounts.js';
import { meetingAccess, type MeetingAccess, type Principal } from '../meetings/access.js';
import { forbidden, notFound, unauthorized, conflict } from '../http-errors.js';
import { getMeetingRecord, type MeetingRecord } from '../meetings/meetings.js';
import { checkToken } from '../meetings/share-links.js';
import type { Queries } from '../db/sql/index.js';
import { DEFAULT_THROTTLE, LoginThrottle } from './login-throttle.js';

export const SESSION_COOKIE = 'quorum_session';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal;
  }
  interface FastifyInstance {
    loginThrottle: LoginThrottle;
  }
}

/** The share token a request presents, from `Authorization: Bearer` or `?token=`. */
export function presentedToken(headers: IncomingHttpHeaders, query: URLSearchParams): string | null {
  const header = headers.authorization;
  if (typeof header === 'string') {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (match) return match[1]!;
  }
  return query.get('token');
}

/**
 * A valid session cookie wins (a member's access is at least any link's); otherwise the share
 * token decides; an unknown or revoked token is reported, never silently treated as anonymous.
 */
export async function resolvePrincipal(q: Queries, sessionToken: string | undefined, shareToken: string | null): Promise<Principal> {
  if (sessionToken) {
    const user = await userForSession(q, sessionToken);
    if (user) return { kind: 'member', user };
  }
  if (shareToken !== null) {
    const check = await checkToken(q, shareToken);
    if (check.status === 'valid') return { kind: 'guest', link: check.link };
    return { kind: 'invalid-token', reason: check.status === 'revoked' ? 'this share link was revoked' : 'unknown share token' };
  }
  return { kind: 'anonymous' };
}

/** Origins this server answers as: the one the request came to, and the configured public URL. */
export function isForeignOrigin(origin: string | undefined, ownOrigins: string[]): boolean {
  if (origin === undefined) return false;
  return !ownOrigins.includes(origin.toLowerCase());
}

function ownOrigins(request: FastifyRequest, publicUrl: string): string[] {
  return [`${request.protocol}://${request.host}`.toLowerCase(), new URL(publicUrl).origin.toLowerCase()];
}

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const ANONYMOUS: Principal = Object.freeze({ kind: 'anonymous' });

export async function registerAuth(app: FastifyInstance, loginClock: () => number = Date.now): Promise<void> {
  await app.register(fastifyCookie);
  app.decorate('loginThrottle', new LoginThrottle(DEFAULT_THROTTLE, loginClock));
  // Reference-type decorations must be getters in Fastify 5; requests outside /api stay anonymous.
  const principals = new WeakMap<FastifyRequest, Principal>();
  app.decorateRequest('principal', {
    getter(this: FastifyRequest) {
      return principals.get(this) ?? ANONYMOUS;
    },
    setter(this: FastifyRequest, value: Principal) {
      principals.set(this, value);
    },
  });

  app.addHook('onRequest', async (request) => {
    if (!request.url.startsWith('/api/')) return;
    const query = new URLSearchParams(request.url.includes('?') ? request.url.slice(request.url.indexOf('?') + 1) : '');
    const token = presentedToken(request.headers, query);
    const sessionToken = request.cookies[SESSION_COOKIE];
    if (STATE_CHANGING.has(request.method)) {
      const origin = request.headers.origin;
      // A request carrying only an explicit token cannot be forged by another site; cookies can.
      const ambient = sessionToken !== undefined || token === null;
      if (ambient && isForeignOrigin(origin, ownOrigins(request, app.config.publicUrl))) {
        throw forbidden('cross-origin request refused');
      }
    }
    request.principal = await resolvePrincipal(app.sql.db, sessionToken, token);
  });
}

/**
 * HTTPS when this request came encrypted, or when the public URL is https: behind a TLS-terminating
 * proxy the request reaches us as plain HTTP, but browsers speak HTTPS.
 */
function isHttps(request: FastifyRequest): boolean {
  return request.protocol === 'https' || request.server.config.publicUrl.startsWith('https:');
}

export function setSessionCookie(request: FastifyRequest, reply: FastifyReply, token: string, expires: Date): void {
  void reply.setCookie(SESSION_COOKIE, token, { path: '/', httpOnly: true, sameSite: 'lax', secure: isHttps(request), expires });
}

export function clearSessionCookie(request: FastifyRequest, reply: FastifyReply): void {
  void reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure: isHttps(request) });
}

function refuse(principal: Principal): never {
  if (principal.kind === 'anonymous') throw unauthorized();
  if (principal.kind === 'invalid-token') throw forbidden(principal.reason);
  throw forbidden('members only: sign in');
}

export function requireMember(request: FastifyRequest): Extract<Principal, { kind: 'member' }> {
  const principal = request.principal;
  if (principal.kind !== 'member') refuse(principal);
  return principal;
}

export function requireAdmin(request: FastifyRequest): Extract<Principal, { kind: 'member' }> {
  const member = requireMember(request);
  if (member.user.role !== 'admin') throw forbidden('admins only');
  return member;
}

export type Need = 'read' | 'propose' | 'manage';

/**
 * The meeting and the caller's access to it, or the right refusal: 401 without credentials,
 * 403 for a bad token or no access, 404 for an unknown meeting, 409 to propose on a closed one.
 */
export async function meetingFor(request: FastifyRequest, q: Queries, meetingId: string, need: Need): Promise<{ meeting: MeetingRecord; access: MeetingAccess }> {
  const principal = request.principal;
  if (principal.kind === 'anonymous' || principal.kind === 'invalid-token') refuse(principal);
  const meeting = await getMeetingRecord(q, meetingId);
  if (!meeting) {
    // A guest learns nothing about meetings other than its own.
    if (principal.kind === 'guest') throw forbidden('this share link is for another meeting');
    throw notFound('no meeting with this id');
  }
  const access = meetingAccess(principal, meeting);
  if (!access) throw forbidden('this share link is for another meeting');
  if (need === 'manage' && !access.canManage) throw forbidden('only the meeting owner or an admin may do this');
  if (need === 'propose' && meeting.closed) throw conflict('the meeting is closed');
  return { meeting, access };
}
