import { Type, type Static } from 'typebox';
import { Id, Nullable, Timestamp } from './common.js';

export const Email = Type.String({ minLength: 3, maxLength: 254, pattern: '^[^\\s@]+@[^\\s@]+$', description: 'e-mail address' });
export const Password = Type.String({ minLength: 8, maxLength: 200, description: 'at least 8 characters' });
export const PersonName = Type.String({ minLength: 1, maxLength: 120 });

export const AccountRole = Type.Union([Type.Literal('admin'), Type.Literal('member')]);
export type AccountRole = Static<typeof AccountRole>;

export const User = Type.Object({
  id: Id,
  email: Type.String(),
  name: Type.String(),
  role: AccountRole,
});
export type User = Static<typeof User>;

export const SetupStatus = Type.Object({
  needed: Type.Boolean({ description: 'true while no account exists: the first visit creates the admin' }),
});
export type SetupStatus = Static<typeof SetupStatus>;

export const SetupBody = Type.Object({ email: Email, password: Password, name: PersonName });
export type SetupBody = Static<typeof SetupBody>;

export const LoginBody = Type.Object({ email: Type.String({ minLength: 1, maxLength: 254 }), password: Type.String({ minLength: 1, maxLength: 200 }) });
export type LoginBody = Static<typeof LoginBody>;

export const UserResponse = Type.Object({ user: User });
export type UserResponse = Static<typeof UserResponse>;

/** Who the caller is: a signed-in member, or a guest admitted by a share link of one meeting. */
export const MeResponse = Type.Union([
  Type.Object({ kind: Type.Literal('member'), user: User }),
  Type.Object({
    kind: Type.Literal('guest'),
    link: Type.Object({ id: Id, meetingId: Id, role: Type.Union([Type.Literal('notetaker'), Type.Literal('follower')]) }),
  }),
]);
export type MeResponse = Static<typeof MeResponse>;

export const InviteBody = Type.Object({
  email: Type.Optional(Email),
  role: Type.Optional(AccountRole),
});
export type InviteBody = Static<typeof InviteBody>;

export const Invite = Type.Object({
  id: Id,
  email: Nullable(Type.String()),
  role: AccountRole,
  createdAt: Timestamp,
  expiresAt: Timestamp,
  acceptedAt: Nullable(Timestamp),
});
export type Invite = Static<typeof Invite>;

/** The token is shown once, here; only its hash is stored. */
export const CreatedInvite = Type.Intersect([Invite, Type.Object({ token: Type.String(), url: Type.String() })]);
export type CreatedInvite = Static<typeof CreatedInvite>;

export const InviteList = Type.Object({ invites: Type.Array(Invite) });

/** The invite token travels in the body, not the path, so request logs never hold it. */
export const AcceptInviteBody = Type.Object({
  token: Type.String({ minLength: 1, maxLength: 200 }),
  name: PersonName,
  password: Password,
  email: Type.Optional(Email),
});
export type AcceptInviteBody = Static<typeof AcceptInviteBody>;

export const InviteTokenBody = Type.Object({ token: Type.String({ minLength: 1, maxLength: 200 }) });
export type InviteTokenBody = Static<typeof InviteTokenBody>;

export const Member = Type.Object({
  id: Id,
  email: Type.String(),
  name: Type.String(),
  role: AccountRole,
  createdAt: Timestamp,
});
export type Member = Static<typeof Member>;
export const MemberList = Type.Object({ members: Type.Array(Member) });

/** A member's own changes: their name, their password (given with the current one). */
export const UpdateMeBody = Type.Object(
  {
    name: Type.Optional(PersonName),
    password: Type.Optional(Type.Object({ current: Type.String({ minLength: 1, maxLength: 200 }), next: Password })),
  },
  { minProperties: 1 },
);
export type UpdateMeBody = Static<typeof UpdateMeBody>;

export const UpdateMemberBody = Type.Object({ role: AccountRole });
export type UpdateMemberBody = Static<typeof UpdateMemberBody>;

/** A one-time link to set a forgotten password; the token is in it, shown once. */
export const CreatedPasswordReset = Type.Object({ url: Type.String(), expiresAt: Timestamp });
export type CreatedPasswordReset = Static<typeof CreatedPasswordReset>;

/** Whose password a link sets, for its page. */
export const PasswordResetInfo = Type.Object({ email: Type.String(), name: Type.String() });
export type PasswordResetInfo = Static<typeof PasswordResetInfo>;

/** The token travels in the body, not the path, so request logs never hold it. */
export const UsePasswordResetBody = Type.Object({ token: Type.String({ minLength: 1, maxLength: 200 }), password: Password });
export type UsePasswordResetBody = Static<typeof UsePasswordResetBody>;
