/** Importing old minutes (issue 16): POST /api/meetings/import. */
import { Type, type Static } from 'typebox';
import { Id, IsoDate, Nullable } from './common.js';
import { AttendeeInput } from './meetings.js';

export const ImportBody = Type.Object(
  {
    content: Type.String({ minLength: 1, maxLength: 1_500_000, description: 'the page: Markdown, HTML, Confluence storage format or plain text' }),
    filename: Type.Optional(Nullable(Type.String({ maxLength: 255 }))),
    series: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 100 }))),
    dryRun: Type.Optional(Type.Boolean({ description: 'answer the preview only; nothing is created' })),
    replace: Type.Optional(Type.Boolean({ description: 'the page was imported before: replace that meeting' })),
    open: Type.Optional(Type.Boolean({ description: 'create a past meeting open (default: closed, its minutes are history)' })),
  },
  { additionalProperties: false },
);
export type ImportBody = Static<typeof ImportBody>;

const NoteLine = Type.Object({
  text: Type.String(),
  task: Type.Optional(Type.Boolean()),
  checked: Type.Optional(Type.Boolean()),
  level: Type.Integer(),
  /** A table of the notes: its rows of cells (a cell's lines joined by line breaks); `text` then reads it row by row. */
  table: Type.Optional(Type.Object({ rows: Type.Array(Type.Array(Type.String())), header: Type.Boolean() })),
  quote: Type.Optional(Type.Boolean()),
  /** A numbered list item. */
  ordered: Type.Optional(Type.Boolean()),
  /** A heading of the notes, its depth (1–3). */
  heading: Type.Optional(Type.Integer({ minimum: 1, maximum: 3 })),
  /** Its runs of formatting and links, when they say more than `text`. */
  inlines: Type.Optional(
    Type.Array(
      Type.Object({
        text: Type.String(),
        href: Type.Optional(Type.String()),
        bold: Type.Optional(Type.Boolean()),
        italic: Type.Optional(Type.Boolean()),
        code: Type.Optional(Type.Boolean()),
        strikethrough: Type.Optional(Type.Boolean()),
      }),
    ),
  ),
});

export const ImportPreview = Type.Object({
  format: Type.Union([Type.Literal('markdown'), Type.Literal('html'), Type.Literal('confluence'), Type.Literal('text')]),
  title: Type.String(),
  startDate: IsoDate,
  endDate: IsoDate,
  /** The series the page names (Quorum's own exports do); the request's `series` wins. */
  series: Nullable(Type.String()),
  timezone: Nullable(Type.String()),
  location: Nullable(Type.String()),
  joinUrl: Nullable(Type.String()),
  joinText: Nullable(Type.String()),
  attendees: Type.Array(AttendeeInput),
  days: Type.Array(
    Type.Object({
      date: IsoDate,
      /** Notes before the first agenda item. */
      notes: Type.Array(NoteLine),
      /** Notes after the agenda (an "Action items" section at the end of the page). */
      closing: Type.Array(NoteLine),
      blocks: Type.Array(
        Type.Object({
          title: Nullable(Type.String()),
          moderator: Nullable(Type.String()),
          notetaker: Nullable(Type.String()),
          items: Type.Array(
            Type.Object({
              time: Nullable(Type.String()),
              minutes: Nullable(Type.Integer()),
              topic: Type.String(),
              coordinators: Type.Array(Type.String()),
              preNotes: Nullable(Type.String()),
              notes: Type.Array(NoteLine),
            }),
          ),
        }),
      ),
    }),
  ),
  proposals: Type.Array(
    Type.Object({
      topic: Type.String(),
      requestedBy: Type.Optional(Nullable(Type.String())),
      priority: Type.Optional(Nullable(Type.String())),
      notes: Type.Optional(Nullable(Type.String())),
      merged: Type.Boolean(),
    }),
  ),
  actions: Type.Array(
    Type.Object({
      date: IsoDate,
      topic: Nullable(Type.String()),
      line: Type.String(),
      assignees: Type.Array(Type.String()),
      everyone: Type.Boolean(),
      due: Nullable(Type.String()),
      done: Type.Boolean(),
      tickets: Type.Array(Type.String()),
      description: Type.String(),
    }),
  ),
  warnings: Type.Array(Type.String()),
  guesses: Type.Array(Type.String()),
  /** The meeting this same page was imported as before, if any (import again with `replace`). */
  duplicateOf: Nullable(Id),
  /** Whether importing creates the meeting closed (its last day is past). */
  closed: Type.Boolean(),
});
export type ImportPreview = Static<typeof ImportPreview>;
