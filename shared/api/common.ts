/**
 * Building blocks shared by every API schema. Schemas are plain JSON Schema built with TypeBox;
 * TypeScript types are derived from them with `Static`, so client and server cannot disagree.
 * Nullable values are `Union([Null, X])` with Null first: Fastify's validator coerces types and
 * would otherwise turn `null` into `""` by trying the string branch first.
 */
import { Type, type Static, type TSchema } from 'typebox';

export const Nullable = <T extends TSchema>(schema: T) => Type.Union([Type.Null(), schema]);

/** Ids the server makes: 22 characters of [A-Za-z0-9] (about 131 bits). */
export const Id = Type.String({ pattern: '^[A-Za-z0-9]{1,64}$', description: 'server-assigned id' });

export const IsoDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'calendar date, YYYY-MM-DD' });
export const Timestamp = Type.String({ description: 'ISO 8601 date-time (UTC)' });
export const ClockTime = Type.String({ pattern: '^([01]\\d|2[0-3]):[0-5]\\d$', description: 'local time of day, HH:MM' });

export const ErrorBody = Type.Object(
  {
    error: Type.String(),
    statusCode: Type.Integer(),
    code: Type.Optional(Type.String()),
  },
  { description: 'Every error answers with this shape.' },
);
export type ErrorBody = Static<typeof ErrorBody>;

export const IdParams = Type.Object({ id: Id });

/** Error responses most routes can give, for the OpenAPI document. */
export const errorResponses = {
  400: ErrorBody,
  401: ErrorBody,
  403: ErrorBody,
  404: ErrorBody,
} as const;

/** Access a caller has to one meeting. `owner` also covers admins. */
export const MeetingRole = Type.Union([Type.Literal('owner'), Type.Literal('notetaker'), Type.Literal('follower')]);
export type MeetingRole = Static<typeof MeetingRole>;

export const LinkRole = Type.Union([Type.Literal('notetaker'), Type.Literal('follower')]);
export type LinkRole = Static<typeof LinkRole>;

/**
 * On every API answer of a server that serves the browser client: the file name of the client's
 * entry script (`index-<hash>.js`). A page running another build offers to reload.
 */
export const CLIENT_BUILD_HEADER = 'x-quorum-client';
/** Set by the page's service worker on an answer it gave from its cache, not from the server. */
export const CACHED_ANSWER_HEADER = 'x-quorum-cached';
