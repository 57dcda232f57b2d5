/** Versions of a session's notes, sealed minutes, and search across meetings (issue 17). */
import { Type, type Static } from 'typebox';
import { Id, IsoDate, Nullable, Timestamp } from './common.js';

export const VersionKind = Type.Union([Type.Literal('auto'), Type.Literal('named'), Type.Literal('sealed'), Type.Literal('restore')]);
export type VersionKind = Static<typeof VersionKind>;

export const VersionAuthor = Type.Object({ name: Type.String() });
export type VersionAuthor = Static<typeof VersionAuthor>;

export const Version = Type.Object({
  id: Id,
  at: Timestamp,
  kind: VersionKind,
  name: Type.Optional(Type.String()),
  /** Who named, sealed or restored it. */
  by: Type.Optional(Type.String()),
  /** Who edited since the previous version. */
  authors: Type.Array(VersionAuthor),
  /** SHA-256 (hex) of the canonical Markdown of the notes at this version: sealed versions. */
  sha256: Type.Optional(Type.String()),
});
export type Version = Static<typeof Version>;

export const VersionList = Type.Object({ versions: Type.Array(Version) });
export type VersionList = Static<typeof VersionList>;

export const SessionParams = Type.Object({ id: Id, sessionId: Id });
export const VersionParams = Type.Object({ id: Id, sessionId: Id, versionId: Id });

export const CreateVersionBody = Type.Object({ name: Type.String({ minLength: 1, maxLength: 120 }) }, { additionalProperties: false });
export type CreateVersionBody = Static<typeof CreateVersionBody>;

export const VersionFormat = Type.Union([Type.Literal('md'), Type.Literal('html'), Type.Literal('json')]);
export const VersionQuery = Type.Object({ format: Type.Optional(VersionFormat) });

/** One block of a version with its text split by who wrote it (`author` indexes `authors`). */
export const AttributedBlock = Type.Object({
  type: Type.String(),
  tag: Nullable(Type.String()),
  depth: Type.Integer(),
  listType: Nullable(Type.String()),
  checked: Nullable(Type.Boolean()),
  agendaItemId: Nullable(Type.String()),
  actionId: Nullable(Type.String()),
  text: Type.String(),
  runs: Type.Array(Type.Object({ text: Type.String(), author: Nullable(Type.Integer()) })),
});
export type AttributedBlock = Static<typeof AttributedBlock>;

export const VersionContent = Type.Object({
  version: Version,
  authors: Type.Array(VersionAuthor),
  blocks: Type.Array(AttributedBlock),
});
export type VersionContent = Static<typeof VersionContent>;

/** A session's latest seal, shown with the meeting. */
export const Seal = Type.Object({
  sessionId: Id,
  versionId: Id,
  at: Timestamp,
  by: Nullable(Type.String()),
  sha256: Type.String(),
});
export type Seal = Static<typeof Seal>;

export const SearchKind = Type.Union([Type.Literal('note'), Type.Literal('action'), Type.Literal('agenda'), Type.Literal('meeting'), Type.Literal('proposal')]);

/** How far a search pages: ranking every match of a common word past this costs more than a reader gains. */
export const MAX_SEARCH_OFFSET = 1_000;

export const SearchQuery = Type.Object({
  q: Type.String({ minLength: 1, maxLength: 200 }),
  series: Type.Optional(Type.String({ maxLength: 200 })),
  from: Type.Optional(IsoDate),
  to: Type.Optional(IsoDate),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  /** Results to skip, for the next page: the order is the same from one page to the next. */
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_SEARCH_OFFSET })),
});
export type SearchQuery = Static<typeof SearchQuery>;

export const SearchResult = Type.Object({
  kind: SearchKind,
  meetingId: Id,
  meetingTitle: Type.String(),
  sessionId: Type.Optional(Type.String()),
  agendaItemId: Type.Optional(Type.String()),
  title: Type.String(),
  /** Plain text; the matched words are wrapped in U+E000 … U+E001 (see SNIPPET_MARKS). */
  snippet: Type.String(),
  date: Type.String(),
});
export type SearchResult = Static<typeof SearchResult>;

export const SearchResults = Type.Object({ results: Type.Array(SearchResult) });
export type SearchResults = Static<typeof SearchResults>;

/**
 * Snippets mark matches with two private-use characters rather than HTML, so a client renders
 * them as elements and never has to trust markup built from user text.
 */
export const SNIPPET_MARKS = { open: '\uE000', close: '\uE001' } as const;
