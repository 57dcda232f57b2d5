import { Type, type Static } from 'typebox';
import { ClockTime, Id, IsoDate, MeetingRole, Nullable, Timestamp } from './common.js';
import { ShareLink, ShareLinkWithToken } from './links.js';
import { Seal } from './versions.js';

const Text = (maxLength: number) => Type.String({ maxLength });

export const AttendeeInput = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 120, description: 'full name, e.g. "Robert Lupton"' }),
  handle: Type.Optional(Nullable(Type.String({ maxLength: 32, pattern: '^[^\\s]*$', description: 'initials or handle, e.g. "RHL"' }))),
  email: Type.Optional(Nullable(Type.String({ maxLength: 254 }))),
});
export type AttendeeInput = Static<typeof AttendeeInput>;

export const Attendee = Type.Object({
  name: Type.String(),
  handle: Nullable(Type.String()),
  /** Hidden (null) from guests admitted by share links. */
  email: Nullable(Type.String()),
});
export type Attendee = Static<typeof Attendee>;

/** An agenda row. Send back an item's `id` on update to keep it (notes hang under item ids). */
export const AgendaItemInput = Type.Object({
  id: Type.Optional(Id),
  time: Type.Optional(Nullable(ClockTime)),
  minutes: Type.Optional(Nullable(Type.Integer({ minimum: 0, maximum: 24 * 60 }))),
  topic: Type.String({ minLength: 1, maxLength: 300 }),
  coordinators: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 120 }), { maxItems: 50 })),
  preNotes: Type.Optional(Nullable(Text(5000))),
});
export type AgendaItemInput = Static<typeof AgendaItemInput>;

export const AgendaBlockInput = Type.Object({
  id: Type.Optional(Id),
  title: Type.Optional(Nullable(Text(200))),
  moderator: Type.Optional(Nullable(Text(120))),
  notetaker: Type.Optional(Nullable(Text(120))),
  items: Type.Array(AgendaItemInput, { maxItems: 100 }),
});
export type AgendaBlockInput = Static<typeof AgendaBlockInput>;

export const AgendaDayInput = Type.Object({
  date: IsoDate,
  blocks: Type.Array(AgendaBlockInput, { maxItems: 30 }),
});
export type AgendaDayInput = Static<typeof AgendaDayInput>;

export const AgendaItem = Type.Object({
  id: Id,
  time: Nullable(Type.String()),
  minutes: Nullable(Type.Integer()),
  topic: Type.String(),
  coordinators: Type.Array(Type.String()),
  preNotes: Nullable(Type.String()),
});
export type AgendaItem = Static<typeof AgendaItem>;

export const AgendaBlock = Type.Object({
  id: Id,
  title: Nullable(Type.String()),
  moderator: Nullable(Type.String()),
  notetaker: Nullable(Type.String()),
  items: Type.Array(AgendaItem),
});
export type AgendaBlock = Static<typeof AgendaBlock>;

export const AgendaDay = Type.Object({ date: Type.String(), blocks: Type.Array(AgendaBlock) });
export type AgendaDay = Static<typeof AgendaDay>;

/** One note-taking session: a day of the meeting, backed by the collaborative document `doc`. */
export const Session = Type.Object({
  id: Id,
  date: Type.String(),
  doc: Type.String({ description: 'collaboration document name: ws(s)://HOST/collab/<doc>' }),
});
export type Session = Static<typeof Session>;

const meetingFields = {
  title: Type.String({ minLength: 1, maxLength: 200 }),
  series: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 100 }))),
  startDate: IsoDate,
  endDate: Type.Optional(Nullable(IsoDate)),
  timezone: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 64, description: 'IANA time zone, e.g. America/Los_Angeles' }))),
  location: Type.Optional(Nullable(Text(200))),
  joinUrl: Type.Optional(Nullable(Type.String({ maxLength: 2000, pattern: '^https?://' }))),
  joinText: Type.Optional(Nullable(Text(2000))),
  attendees: Type.Array(AttendeeInput, { maxItems: 500 }),
  agenda: Type.Optional(Type.Array(AgendaDayInput, { maxItems: 31 })),
};

export const ProposalInput = Type.Object({
  topic: Type.String({ minLength: 1, maxLength: 300 }),
  requestedBy: Type.Optional(Nullable(Text(120))),
  minutes: Type.Optional(Nullable(Type.Integer({ minimum: 0, maximum: 24 * 60 }))),
  priority: Type.Optional(Nullable(Type.Union([Type.Literal('low'), Type.Literal('medium'), Type.Literal('high')]))),
  notes: Type.Optional(Nullable(Text(5000))),
});
export type ProposalInput = Static<typeof ProposalInput>;

export const CreateMeetingBody = Type.Object({
  ...meetingFields,
  proposals: Type.Optional(Type.Array(ProposalInput, { maxItems: 200 })),
});
export type CreateMeetingBody = Static<typeof CreateMeetingBody>;

/** PUT replaces the meeting's details (the same fields as create); PATCH changes the fields it names. */
export const ReplaceMeetingBody = Type.Object(meetingFields);
export type ReplaceMeetingBody = Static<typeof ReplaceMeetingBody>;
export const PatchMeetingBody = Type.Partial(Type.Object(meetingFields));
export type PatchMeetingBody = Static<typeof PatchMeetingBody>;

export const MeetingSummary = Type.Object({
  id: Id,
  title: Type.String(),
  series: Nullable(Type.String()),
  startDate: Type.String(),
  endDate: Type.String(),
  timezone: Nullable(Type.String()),
  location: Nullable(Type.String()),
  closed: Type.Boolean(),
  owner: Type.Object({ id: Id, name: Type.String() }),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type MeetingSummary = Static<typeof MeetingSummary>;

const MeetingDetails = Type.Object({
  joinUrl: Nullable(Type.String()),
  joinText: Nullable(Type.String()),
  closedAt: Nullable(Timestamp),
  attendees: Type.Array(Attendee),
  agenda: Type.Array(AgendaDay),
  sessions: Type.Array(Session),
  access: Type.Object({
    role: MeetingRole,
    /** Whether the caller may edit the notes right now (false for followers and closed meetings). */
    canWrite: Type.Boolean(),
    /** Whether the caller may change, share, close or delete the meeting. */
    canManage: Type.Boolean(),
  }),
});

export const Meeting = Type.Intersect([
  MeetingSummary,
  MeetingDetails,
  /** Share links without their tokens; present for owners and admins only. */
  Type.Object({ links: Type.Optional(Type.Array(ShareLink)) }),
  /** While the meeting is closed: each session's sealed minutes, when, by whom, and their hash. */
  Type.Object({ seals: Type.Optional(Type.Array(Seal)) }),
  /** TICKET_PROJECTS: the project keys the notes' ticket highlighting accepts (empty: any). */
  Type.Object({ ticketProjects: Type.Optional(Type.Array(Type.String())) }),
]);
export type Meeting = Static<typeof Meeting>;

/** The create answer: the meeting plus its two default share links, tokens included (shown once). */
export const CreatedMeeting = Type.Intersect([MeetingSummary, MeetingDetails, Type.Object({ links: Type.Array(ShareLinkWithToken) })]);
export type CreatedMeeting = Static<typeof CreatedMeeting>;

export const ListMeetingsQuery = Type.Object({
  when: Type.Optional(Type.Union([Type.Literal('upcoming'), Type.Literal('past'), Type.Literal('all')], { default: 'all' })),
  series: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
  /** The caller's date, which separates upcoming from past (a meeting ending today is upcoming); the server's UTC date by default. */
  today: Type.Optional(IsoDate),
});
export type ListMeetingsQuery = Static<typeof ListMeetingsQuery>;

export const MeetingList = Type.Object({ meetings: Type.Array(MeetingSummary) });
export type MeetingList = Static<typeof MeetingList>;

/** A series: the name its meetings share, how many there are and the days they span. */
export const SeriesSummary = Type.Object({
  name: Type.String(),
  meetings: Type.Integer({ minimum: 1 }),
  first: IsoDate,
  last: IsoDate,
  /** In the list: whether the caller may rename it (an admin, or the owner of all its meetings). */
  canRename: Type.Optional(Type.Boolean()),
});
export type SeriesSummary = Static<typeof SeriesSummary>;

export const SeriesList = Type.Object({ series: Type.Array(SeriesSummary) });
export type SeriesList = Static<typeof SeriesList>;

export const SeriesParams = Type.Object({ name: Type.String({ minLength: 1, maxLength: 100 }) });
export type SeriesParams = Static<typeof SeriesParams>;

export const RenameSeriesBody = Type.Object({ name: Type.String({ minLength: 1, maxLength: 100 }) });
export type RenameSeriesBody = Static<typeof RenameSeriesBody>;

export const RenamedSeries = Type.Object({
  series: SeriesSummary,
  /** The new name was another series': the two are one series now. */
  merged: Type.Boolean(),
});
export type RenamedSeries = Static<typeof RenamedSeries>;

/** A typed series name tidied: its ends trimmed, runs of spaces one space. */
export const tidySeries = (name: string): string => name.normalize('NFC').trim().replace(/\s+/g, ' ');

/**
 * How two spellings of a series name compare: without case and runs of spaces. The name is typed
 * by hand on every meeting, and "dmlt" typed for next week's meeting means the series "DMLT".
 */
export const seriesKey = (name: string): string => tidySeries(name).toLowerCase();

