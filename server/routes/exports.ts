/**
 * Notes exports (Markdown, a self-contained HTML page) and each member's private iCalendar feed
 * of open actions, which calendar apps subscribe to by URL.
 */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { CalendarFeedSchema, ErrorBody, Id, NotesExportFormat } from '../../shared/api/index.js';
import { actionsToICalendar, exportFileName, exportNotes } from '../../shared/exports/index.js';
import { notFound } from '../http-errors.js';
import { meetingFor, requireMember } from '../plugins/auth.js';
import { listActions } from '../tracker/action-items.js';
import { feedOwner, feedPath, revokeFeed, rotateFeed } from '../accounts/calendar-feeds.js';
import { liveOrStoredDocState, notesDocumentOf } from '../notes/minutes.js';
import { getMeeting } from '../meetings/meetings.js';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };

/** The exported page may hold hostile text (escaped); even so it may run nothing, load nothing. */
const EXPORT_CSP = "sandbox; default-src 'none'; style-src 'unsafe-inline'";

/** How often subscribed calendar apps are asked to refresh the feed. */
const FEED_REFRESH_MINUTES = 60;

export async function exportRoutes(base: FastifyInstance): Promise<void> {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const docState = liveOrStoredDocState((name) => app.collab.get(name)?.doc, app.documents);

  app.get(
    '/api/meetings/:id/notes',
    {
      schema: {
        tags: ['exports'],
        summary: "A meeting's notes: logistics, agenda, running notes and the action summary",
        description:
          '`format=md` (default) downloads Markdown; `format=html` answers a self-contained page (no scripts, no external ' +
          'resources, all text escaped). Readable by everyone with access to the meeting.',
        params: Type.Object({ id: Id }),
        querystring: Type.Object({
          format: Type.Optional(NotesExportFormat),
          download: Type.Optional(Type.Boolean({ description: 'html only: as an attachment instead of a page' })),
          token: Type.Optional(Type.String()),
        }),
        response: {
          200: {
            description: 'the notes',
            content: {
              'text/markdown': { schema: Type.String() },
              'text/html': { schema: Type.String() },
            },
          },
          ...errors,
        },
      },
    },
    async (request, reply) => {
      const { meeting } = await meetingFor(request, app.sql.db, request.params.id, 'read');
      const details = await getMeeting(app.sql.db, meeting.id);
      if (!details) throw notFound('no meeting with this id');
      const format = request.query.format ?? 'md';
      const notes = await notesDocumentOf(app.sql, details, docState);
      // Each item lists its attachments: links as they are, files by their download address.
      const attached = await app.attachments.list(meeting.id);
      for (const day of notes.agenda) {
        for (const block of day.blocks) {
          for (const item of block.items) {
            const mine = attached.filter((a) => a.agendaItemId === item.id);
            if (mine.length > 0) item.attachments = mine.map((a) => ({ name: a.name, url: a.url ?? `${app.config.publicUrl}/api/meetings/${meeting.id}/attachments/${a.id}` }));
          }
        }
      }
      const file = exportNotes(format, notes, { ticketUrl: app.config.ticketUrl });
      const inline = format === 'html' && request.query.download !== true;
      return reply
        .type(file.contentType)
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', EXPORT_CSP)
        .header(
          'content-disposition',
          `${inline ? 'inline' : 'attachment'}; filename="${exportFileName(meeting.title, 'notes', file.extension)}"`,
        )
        .send(file.body);
    },
  );

  app.post(
    '/api/me/calendar-feed',
    {
      schema: {
        tags: ['exports'],
        summary: 'Create (or rotate) my private calendar feed of open actions',
        description:
          'Answers the subscription URL, shown only now: the server keeps a hash of its token. Calling again makes a new ' +
          'URL and the old one stops working.',
        response: { 201: CalendarFeedSchema, ...errors },
      },
    },
    async (request, reply) => {
      const member = requireMember(request);
      const token = await rotateFeed(app.sql.db, member.user.id);
      request.log.info({ userId: member.user.id }, 'calendar feed created');
      return reply.code(201).send({ url: `${app.config.publicUrl.replace(/\/+$/, '')}${feedPath(token)}` });
    },
  );

  app.delete(
    '/api/me/calendar-feed',
    {
      schema: {
        tags: ['exports'],
        summary: 'Revoke my calendar feed',
        response: { 204: Type.Null({ description: 'revoked' }), ...errors },
      },
    },
    async (request, reply) => {
      const member = requireMember(request);
      if (!(await revokeFeed(app.sql.db, member.user.id))) throw notFound('no calendar feed to revoke');
      request.log.info({ userId: member.user.id }, 'calendar feed revoked');
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/calendar/:file',
    {
      schema: {
        tags: ['exports'],
        summary: "A member's calendar feed: their open actions as all-day events on the due date",
        description:
          'The token in the path is the only credential (calendar apps send no cookies). Calendar apps show only events ' +
          'from subscriptions, so each open action with a due date is an all-day VEVENT; `style=todo` gives VTODOs instead, ' +
          'undated actions included.',
        security: [],
        params: Type.Object({ file: Type.String({ pattern: '^[A-Za-z0-9_-]{20,200}\\.ics$' }) }),
        querystring: Type.Object({ style: Type.Optional(Type.Union([Type.Literal('event'), Type.Literal('todo')])) }),
        response: {
          200: { description: 'iCalendar', content: { 'text/calendar': { schema: Type.String() } } },
          404: ErrorBody,
          400: ErrorBody,
        },
      },
    },
    async (request, reply) => {
      const owner = await feedOwner(app.sql.db, request.params.file.slice(0, -'.ics'.length));
      if (!owner) throw notFound('no such calendar feed');
      const actions = await listActions(app.sql, { status: 'open', assignee: [owner.email, owner.name] });
      const body = actionsToICalendar(actions, {
        style: request.query.style ?? 'event',
        calendarName: `Quorum: ${owner.name}'s actions`,
        refreshMinutes: FEED_REFRESH_MINUTES,
        ticketUrl: app.config.ticketUrl,
      });
      return reply
        .type('text/calendar; charset=utf-8')
        .header('cache-control', 'private, max-age=300')
        .header('x-content-type-options', 'nosniff')
        .send(body);
    },
  );
}
