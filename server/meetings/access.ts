/**
 * Who may do what. One policy, used by the API routes and the collaboration endpoint alike:
 *
 * - An **admin** has owner rights on every meeting, and manages accounts (invites, removal).
 * - The **owner** (the member who created the meeting) may change, share, close, reopen and delete it.
 * - Every other signed-in **member** is a notetaker on every meeting: reads all, writes notes
 *   while the meeting is open. (A small team trusts its members; per-meeting rosters can come later.)
 * - A **guest** holding a share link has that link's role on that one meeting only:
 *   notetaker (writes notes while open) or follower (read-only, always).
 * - Anyone with access may propose agenda topics while the meeting is open.
 * - A closed meeting is read-only for everyone, owners included, until it is reopened.
 */
import type { MeetingRole, User } from '../../shared/api/index.js';
import type { LinkRecord } from './share-links.js';

export type Principal =
  | { kind: 'anonymous' }
  /** A token was presented that is unknown or revoked. */
  | { kind: 'invalid-token'; reason: string }
  | { kind: 'member'; user: User }
  | { kind: 'guest'; link: LinkRecord };

export interface MeetingAccess {
  role: MeetingRole;
  canWrite: boolean;
  canManage: boolean;
}

/** The access a principal has to one meeting, or null when it has none. */
export function meetingAccess(principal: Principal, meeting: { id: string; ownerId: string; closed: boolean }): MeetingAccess | null {
  switch (principal.kind) {
    case 'member': {
      const manages = principal.user.role === 'admin' || principal.user.id === meeting.ownerId;
      return { role: manages ? 'owner' : 'notetaker', canWrite: !meeting.closed, canManage: manages };
    }
    case 'guest':
      if (principal.link.meetingId !== meeting.id) return null;
      return { role: principal.link.role, canWrite: principal.link.role === 'notetaker' && !meeting.closed, canManage: false };
    default:
      return null;
  }
}

/** Why a role cannot write, as told to a read-only client; null when it can. */
export function readOnlyReason(access: MeetingAccess, closed: boolean): string | null {
  if (closed) return 'meeting closed';
  if (access.role === 'follower') return 'followers are read-only';
  return access.canWrite ? null : 'read-only';
}
