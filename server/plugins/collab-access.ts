/**
 * Access to the collaboration endpoint. Decided once per connection, before any document data is
 * sent, from the upgrade request's session cookie or share token; read-only is decided here, on
 * the server. Grants carry the meeting, session, link and user ids so that revoking a link,
 * removing a member or closing a meeting can find the live connections it affects.
 */
import fastifyCookie from '@fastify/cookie';
import type { FastifyInstance } from 'fastify';
import type { IncomingMessage } from 'node:http';
import { CloseCode } from '../../shared/protocol/index.js';
import type { Authorization } from '../collab/ws-transport.js';
import type { Grant } from '../collab/types.js';
import { meetingAccess, readOnlyReason } from '../meetings/access.js';
import { findSessionByDoc, getMeetingRecord, SESSION_DOC_PREFIX } from '../meetings/meetings.js';
import { isForeignOrigin, presentedToken, resolvePrincipal, SESSION_COOKIE } from './auth.js';
import { hashToken } from '../ids.js';

/** Scope facts every meeting connection's grant carries. */
export interface MeetingScope {
  meetingId: string;
  sessionId: string;
  role: 'owner' | 'notetaker' | 'follower';
  linkId?: string;
  userId?: string;
  /** The hash of the login session the member connected with: a password changed elsewhere ends it. */
  loginSession?: string;
}

export function scopeOf(grant: Grant): Partial<MeetingScope> {
  return (grant.scope ?? {}) as Partial<MeetingScope>;
}

/** A display name a guest chose, made safe to show: no control characters, at most 60 characters. */
export function sanitizeGuestName(raw: string | null): string {
  const cleaned = (raw ?? '')
    .replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, '')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 60)
    .trim();
  return cleaned === '' ? 'Guest' : cleaned;
}

const refuse = (code: number, reason: string): Authorization => ({ ok: false, code, reason });

export function createCollabAccess(app: FastifyInstance): { authorize(request: IncomingMessage, docName: string): Promise<Authorization> } {
  const publicOrigin = new URL(app.config.publicUrl).origin.toLowerCase();
  return {
    async authorize(request, docName) {
      if (!docName.startsWith(SESSION_DOC_PREFIX)) {
        // Documents of no meeting exist only for the core tests and benchmarks.
        if (app.config.openDocuments) return { ok: true, grant: { readOnly: false, user: { id: 'anonymous', name: 'anonymous', kind: 'anonymous' } } };
        return refuse(CloseCode.NotFound, 'unknown document');
      }
      const url = new URL(request.url ?? '/', 'http://localhost');
      const token = presentedToken(request.headers, url.searchParams);
      const host = request.headers.host ?? '';
      const own = [`http://${host}`.toLowerCase(), `https://${host}`.toLowerCase(), publicOrigin];
      // Browsers send cookies on cross-site WebSocket upgrades too: a foreign page's cookie is no credential.
      const cookieHeader = request.headers.cookie;
      const sessionToken =
        cookieHeader && !isForeignOrigin(request.headers.origin, own) ? fastifyCookie.parse(cookieHeader)[SESSION_COOKIE] : undefined;

      const principal = await resolvePrincipal(app.sql.db, sessionToken, token);
      if (principal.kind === 'anonymous') return refuse(CloseCode.Unauthorized, 'sign in or present a share token');
      if (principal.kind === 'invalid-token') return refuse(CloseCode.Forbidden, principal.reason);

      const session = await findSessionByDoc(app.sql.db, docName);
      if (!session) return refuse(CloseCode.NotFound, 'unknown document');
      const meeting = await getMeetingRecord(app.sql.db, session.meetingId);
      if (!meeting) return refuse(CloseCode.NotFound, 'unknown document');
      const access = meetingAccess(principal, meeting);
      if (!access) return refuse(CloseCode.Forbidden, 'this share link is for another meeting');

      const scope: MeetingScope = { meetingId: meeting.id, sessionId: session.sessionId, role: access.role };
      let user: NonNullable<Grant['user']>;
      if (principal.kind === 'member') {
        scope.userId = principal.user.id;
        if (sessionToken) scope.loginSession = hashToken(sessionToken);
        user = { id: principal.user.id, name: principal.user.name, kind: 'member' };
      } else {
        scope.linkId = principal.link.id;
        user = { id: `guest:${principal.link.id}`, name: sanitizeGuestName(url.searchParams.get('name')), kind: 'guest' };
      }
      const reason = readOnlyReason(access, meeting.closed);
      const grant: Grant = { readOnly: reason !== null, user, scope: { ...scope } };
      if (reason !== null) grant.readOnlyReason = reason;
      return { ok: true, grant };
    },
  };
}
