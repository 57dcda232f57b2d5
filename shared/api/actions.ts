// Schemas of the action tracker and export API, and the plain data the exports in shared/exports/
// take. Types are derived from the schemas, so the OpenAPI document, the server and the client
// agree by construction. No Node or DOM here: the client imports these too.

import { Type, type Static } from 'typebox';
import { IsoDate, Nullable, Timestamp } from './common.js';

export const ActionAssigneeSchema = Type.Object({
  /** The attendee's id when the assignee resolved to an attendee of the meeting; null for a raw @handle. */
  id: Nullable(Type.String()),
  name: Type.String(),
  handle: Nullable(Type.String()),
});
export type ActionAssignee = Static<typeof ActionAssigneeSchema>;

/**
 * An action item: the one record the REST API, the exports, the live push to meeting pages and
 * the pages themselves all use.
 */
export const ActionRecordSchema = Type.Object({
  id: Type.String(),
  description: Type.String(),
  /** Who it is assigned to: attendees it resolved to, then any raw `@handle` that resolved to nobody. */
  assignees: Type.Array(ActionAssigneeSchema),
  /** The assignees as typed (`RHL`, `@ktl`, `All`). */
  assigneeText: Type.Array(Type.String()),
  /** `All`: every attendee is assigned. */
  everyone: Type.Boolean(),
  due: Nullable(IsoDate),
  done: Type.Boolean(),
  /** Ticket keys such as DM-29330. */
  tickets: Type.Array(Type.String()),
  sessionId: Type.String(),
  meetingId: Type.String(),
  agendaItemId: Nullable(Type.String()),
  /** The block's text as typed, for "appears on" context. */
  sourceText: Type.String(),
  /** Order of its block in the session's notes. */
  position: Type.Integer(),
  /** Deleted from the notes: the record is kept (the same id comes back with the text) but normally hidden. */
  removed: Type.Boolean(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  // Context for listings across meetings and for exports.
  meetingTitle: Type.Optional(Type.String()),
  series: Type.Optional(Nullable(Type.String())),
  sessionDate: Type.Optional(Nullable(IsoDate)),
  agendaItemTitle: Type.Optional(Nullable(Type.String())),
});
export type ActionRecord = Static<typeof ActionRecordSchema>;

/** The JSON body of every action listing and the `format=json` export. */
export const ActionListSchema = Type.Object({ items: Type.Array(ActionRecordSchema) });
export type ActionList = Static<typeof ActionListSchema>;

/**
 * Pushed to every connection of a meeting's session documents after an extraction pass changed
 * a session's list. `complete`: `actions` is that session's full list of present actions in note
 * order (replace what you hold for the session). Otherwise `actions` holds only the records new or
 * changed since the previous push (merge them): a keystroke in one action line of a long meeting
 * sends that one record to every follower, not the whole list. `removed`: ids that left the list.
 */
export interface ActionsPush {
  type: 'actions';
  doc: string;
  meetingId: string;
  sessionId: string;
  complete: boolean;
  actions: ActionRecord[];
  removed: string[];
}

export const ActionExportFormat = Type.Union([
  Type.Literal('json'),
  Type.Literal('csv'),
  Type.Literal('md'),
  Type.Literal('ics'),
]);
export type ActionExportFormat = Static<typeof ActionExportFormat>;

export const NotesExportFormat = Type.Union([Type.Literal('md'), Type.Literal('html')]);
export type NotesExportFormat = Static<typeof NotesExportFormat>;

export const ActionStatus = Type.Union([Type.Literal('open'), Type.Literal('done'), Type.Literal('all')]);
export type ActionStatus = Static<typeof ActionStatus>;

/** Query of `GET /api/actions`. */
export const ActionQuerySchema = Type.Object({
  /** An attendee's handle, name or e-mail, or `me` for the signed-in member. */
  assignee: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  status: Type.Optional(ActionStatus),
  series: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  /** Due on or before this date (actions without a due date are excluded when set). */
  due_before: Type.Optional(IsoDate),
  format: Type.Optional(ActionExportFormat),
  /** At most this many (and never more than 20,000 in one answer), after skipping `offset`. */
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 20_000 })),
  offset: Type.Optional(Type.Integer({ minimum: 0 })),
});
export type ActionQuery = Static<typeof ActionQuerySchema>;

export const ActionPatchSchema = Type.Object({ done: Type.Boolean() }, { additionalProperties: false });
export type ActionPatch = Static<typeof ActionPatchSchema>;

export const CalendarFeedSchema = Type.Object({
  /** Secret subscription URL; shown once, only a hash of its token is stored. */
  url: Type.String(),
});
export type CalendarFeed = Static<typeof CalendarFeedSchema>;

// ---------------------------------------------------------------------------------------------
// Notes export: a plain block model the server reads out of the session documents.

export interface NoteInline {
  text: string;
  /** Only http(s) and mailto links survive into HTML; others are rendered as text. */
  href?: string;
  bold?: boolean;
  italic?: boolean;
  code?: boolean;
  strikethrough?: boolean;
}

export type NoteBlockType = 'heading' | 'paragraph' | 'listitem' | 'quote' | 'code' | 'table';

export interface NoteBlock {
  type: NoteBlockType;
  /** Heading: level 1–6. List item: nesting depth, 0 at the top. Otherwise 0. */
  depth: number;
  /** List items only. */
  listType?: 'bullet' | 'number' | 'check';
  /** Check-list items only. */
  checked?: boolean;
  inlines: NoteInline[];
  /** Set on action blocks: the id of the action record. */
  actionId?: string | null;
  /** Set on agenda headings. */
  agendaItemId?: string | null;
  /** Tables only: each row's cells, each cell's inlines (its lines joined by line breaks). */
  rows?: NoteInline[][][];
  /** Tables only: the first row is a header row. */
  headerRow?: boolean;
}

export interface NotesAttendee {
  name: string;
  handle?: string | null;
}

export interface NotesAgendaItem {
  id?: string | null;
  /** HH:MM local time. */
  time?: string | null;
  minutes?: number | null;
  topic: string;
  coordinators?: string[];
  preNotes?: string | null;
  /** Files (their download address) and links attached to the item. */
  attachments?: Array<{ name: string; url: string }>;
}

export interface NotesAgendaBlock {
  title?: string | null;
  moderator?: string | null;
  notetaker?: string | null;
  items: NotesAgendaItem[];
}

export interface NotesAgendaDay {
  date: string;
  blocks: NotesAgendaBlock[];
}

export interface NotesMeeting {
  id: string;
  title: string;
  series?: string | null;
  startDate: string;
  endDate?: string | null;
  timezone?: string | null;
  location?: string | null;
  joinUrl?: string | null;
  /** Dial-in numbers, meeting id, passcode: free text. */
  joinText?: string | null;
  closed?: boolean;
  attendees: NotesAttendee[];
}

export interface NotesSession {
  id: string;
  date: string;
  blocks: NoteBlock[];
  /** While the meeting is closed: the session's sealed minutes (SHA-256 of their canonical Markdown). */
  seal?: { at: string; by: string | null; sha256: string } | null;
}

/** Everything a notes export shows: logistics, agenda, running notes and the action summary. */
export interface NotesDocument {
  meeting: NotesMeeting;
  agenda: NotesAgendaDay[];
  sessions: NotesSession[];
  actions: ActionRecord[];
}

/** Options shared by the exports. */
export interface ExportOptions {
  /** Template with `{key}` turning ticket keys into links (TICKET_URL). */
  ticketUrl?: string | null;
}

export function noteBlockText(block: NoteBlock): string {
  return block.inlines.map((inline) => inline.text).join('');
}
