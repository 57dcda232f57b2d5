import { Type, type Static } from 'typebox';
import { Id, LinkRole, Nullable, Timestamp } from './common.js';

const linkFields = {
  id: Id,
  role: LinkRole,
  label: Nullable(Type.String()),
  createdAt: Timestamp,
  rotatedAt: Nullable(Timestamp),
  revokedAt: Nullable(Timestamp),
};

export const ShareLink = Type.Object({
  ...linkFields,
  url: Type.Optional(
    Nullable(Type.String({ description: 'the address to share, for the owner at any time; null for a revoked link or one whose token cannot be unsealed (rotate it)' })),
  ),
});
export type ShareLink = Static<typeof ShareLink>;

/** A link with its secret: answered only when the token is made (create, rotate). */
export const ShareLinkWithToken = Type.Object({
  ...linkFields,
  token: Type.String(),
  url: Type.String({ description: 'PUBLIC_URL/m/<meetingId>?token=<token>' }),
});
export type ShareLinkWithToken = Static<typeof ShareLinkWithToken>;

export const CreateLinkBody = Type.Object({
  role: LinkRole,
  label: Type.Optional(Type.String({ maxLength: 120 })),
});
export type CreateLinkBody = Static<typeof CreateLinkBody>;

export const LinkList = Type.Object({ links: Type.Array(ShareLink) });
export const LinkParams = Type.Object({ id: Id, linkId: Id });
