/**
 * The action tracker: a meeting's actions (JSON or any export format), actions across meetings
 * with filters, past actions carried into a meeting of a series, and ticking an action done,
 * which the server writes back into the source notes so notes and records never disagree.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type, type TSchema } from 'typebox';
import {
  ActionExportFormat,
  ActionListSchema,
  ActionPatchSchema,
  ActionQuerySchema,
  ActionRecordSchema,
  ActionStatus,
  ErrorBody,
  Id,
  type ActionRecord,
} from '../../shared/api/index.js';
import { exportActions, exportFileName } from '../../shared/exports/index.js';
import type { Queries } from '../db/sql/index.js';
import { meetingAccess } from '../meetings/access.js';
import { badRequest, conflict, forbidden, HttpError, notFound } from '../http-errors.js';
import { NotesError } from '../notes/index.js';
import { getMeetingRecord, type MeetingRecord } from '../meetings/meetings.js';
import { seriesFilter } from '../meetings/series.js';
import { meetingFor, requireMember } from '../plugins/auth.js';
import { getAction, listActions, listPastActions, type ActionFilter } from '../tracker/action-items.js';

const tags = ['actions'];
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };

/** Fixed-value ids the extraction makes (shared/notes/action-id.ts); anything else is a 404 anyway. */
const ActionId = Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$', description: 'stable action id' });

/** A 200 answer in each export format, so the OpenAPI document shows every media type. */
export function exportResponse(json: TSchema, description: string, media: Record<string, string>) {
  return {
    description,
    content: {
      'application/json': { schema: json },
      ...Object.fromEntries(Object.entries(media).map(([type, what]) => [type, { schema: Type.String({ description: what }) }])),
    },
  };
}

const ACTION_MEDIA = {
  'text/csv': 'format=csv: RFC 4180, CRLF, a header row; cells starting with = + - @ tab or CR get a leading apostrophe',
  'text/markdown': 'format=md: a GFM table',
  'text/calendar': 'format=ics: iCalendar, a VTODO per action with its due date',
};

/**
 * Sends an action listing in the requested format: JSON as the API body, the others as a file
 * download named after `stem`. Exports are files opened elsewhere, so they are never sniffed.
 */
export function sendActions(
  reply: FastifyReply,
  format: ActionExportFormat | undefined,
  actions: ActionRecord[],
  stem: string,
  options: { ticketUrl: string | null; calendarName: string },
): FastifyReply {
  if (format === undefined || format === 'json') return reply.send({ items: actions });
  const file = exportActions(format, actions, { ticketUrl: options.ticketUrl, calendarName: options.calendarName });
  return reply
    .type(file.contentType)
    .header('x-content-type-options', 'nosniff')
    .header('content-disposition', `attachment; filename="${exportFileName(stem, 'actions', file.extension)}"`)
    .send(file.body);
}

/**
 * Ticks the action in its source notes through the notes layer, which resolves once the record
 * has been re-extracted from the changed document: notes and record never disagree.
 */
async function setActionDone(app: FastifyInstance, actionId: string, done: boolean): Promise<void> {
  try {
    await app.notes.setActionDone(actionId, done);
  } catch (error) {
    if (!(error instanceof NotesError)) throw error;
    if (error.code === 'not_found') throw notFound('no action with this id');
    if (error.code === 'closing') throw new HttpError(503, 'the server is shutting down');
    if (error.code === 'unsaved') throw new HttpError(503, error.message);
    throw conflict('this action was deleted from the notes');
  }
}

/**
 * Who may tick an action: whoever may write its meeting's notes. A closed meeting's minutes stay
 * locked to editors, but its actions are exactly the ones carried into the next meeting to be
 * reviewed and ticked, so ticking ignores the closed state; a guest holding the notetaker link of
 * a later meeting of the series may tick the actions carried into it.
 */
async function mayTick(request: FastifyRequest, q: Queries, action: ActionRecord): Promise<MeetingRecord> {
  const principal = request.principal;
  if (principal.kind !== 'guest') requireMember(request);
  const meeting = await getMeetingRecord(q, action.meetingId);
  if (!meeting) throw notFound('no action with this id');
  const access = meetingAccess(principal, { ...meeting, closed: false });
  if (access) {
    if (!access.canWrite) throw forbidden('followers are read-only');
    return meeting;
  }
  if (principal.kind === 'guest' && principal.link.role === 'notetaker') {
    const carried = (await listPastActions(q, principal.link.meetingId, 'all')).some((a) => a.id === action.id);
    if (carried) return meeting;
  }
  throw forbidden('this share link is for another meeting');
}

export async function actionRoutes(base: FastifyInstance): Promise<void> {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const ticketUrl = app.config.ticketUrl;

  app.get(
    '/api/meetings/:id/actions',
    {
      schema: {
        tags,
        summary: "A meeting's action items, in note order, as JSON or an export file",
        description:
          'Readable by everyone with access to the meeting, guests with a share token included. Actions deleted from the ' +
          'notes are left out unless `include_removed=true`.',
        params: Type.Object({ id: Id }),
        querystring: Type.Object({
          format: Type.Optional(ActionExportFormat),
          status: Type.Optional(ActionStatus),
          include_removed: Type.Optional(Type.Boolean()),
          token: Type.Optional(Type.String()),
        }),
        response: { 200: exportResponse(ActionListSchema, 'the actions', ACTION_MEDIA), ...errors },
      },
    },
    async (request, reply) => {
      const { meeting } = await meetingFor(request, app.sql.db, request.params.id, 'read');
      const { format, status, include_removed: includeRemoved } = request.query;
      const actions = await listActions(app.sql, { meetingId: meeting.id, status: status ?? 'all', includeRemoved: includeRemoved === true });
      return sendActions(reply, format, actions, meeting.title, { ticketUrl, calendarName: `${meeting.title}: actions` });
    },
  );

  app.get(
    '/api/meetings/:id/past-actions',
    {
      schema: {
        tags,
        summary: 'Past actions: open actions of the earlier, closed meetings of the same series',
        description:
          "A meeting's open actions are carried into every later meeting of its series the moment it is closed (and " +
          'withdrawn if it is reopened). Computed when asked, so a tick anywhere shows at once. `status=all` also lists ' +
          'the carried actions ticked done since the close (`status=done`: only those).',
        params: Type.Object({ id: Id }),
        querystring: Type.Object({
          format: Type.Optional(ActionExportFormat),
          status: Type.Optional(ActionStatus),
          token: Type.Optional(Type.String()),
        }),
        response: { 200: exportResponse(ActionListSchema, 'the carried-over actions', ACTION_MEDIA), ...errors },
      },
    },
    async (request, reply) => {
      const { meeting } = await meetingFor(request, app.sql.db, request.params.id, 'read');
      const actions = await listPastActions(app.sql.db, meeting.id, request.query.status ?? 'open');
      return sendActions(reply, request.query.format, actions, `${meeting.title} past`, {
        ticketUrl,
        calendarName: `${meeting.title}: past actions`,
      });
    },
  );

  app.get(
    '/api/actions',
    {
      schema: {
        tags,
        summary: 'Actions across meetings, filtered: the tracker',
        description:
          '`assignee`: a handle, name or e-mail, or `me` for the signed-in member (an action for `All` counts for every ' +
          'attendee of its meeting). `status` defaults to `open`. `series`: meetings of one series. `due_before`: due ' +
          'strictly before that date (undated actions are left out; `due_before=<today>` lists overdue actions). ' +
          '`limit` and `offset` page through the list (at most 20,000 in one answer). ' +
          'Members see every meeting; a guest only its share link’s meeting.',
        querystring: ActionQuerySchema,
        response: { 200: exportResponse(ActionListSchema, 'the matching actions', ACTION_MEDIA), ...errors },
      },
    },
    async (request, reply) => {
      const principal = request.principal;
      const query = request.query;
      const filter: ActionFilter = { status: query.status ?? 'open' };
      if (principal.kind === 'guest') filter.meetingIds = [principal.link.meetingId];
      else requireMember(request);
      if (query.series !== undefined) filter.series = await seriesFilter(app.sql.db, query.series);
      if (query.due_before !== undefined) filter.dueBefore = query.due_before;
      if (query.limit !== undefined) filter.limit = query.limit;
      if (query.offset !== undefined) filter.offset = query.offset;
      if (query.assignee !== undefined) {
        if (query.assignee.trim().toLowerCase() === 'me') {
          if (principal.kind !== 'member') throw badRequest('assignee=me needs a signed-in member');
          filter.assignee = [principal.user.email, principal.user.name];
        } else {
          filter.assignee = [query.assignee];
        }
      }
      const actions = await listActions(app.sql, filter);
      return sendActions(reply, query.format, actions, 'quorum', { ticketUrl, calendarName: 'Quorum actions' });
    },
  );

  app.patch(
    '/api/actions/:id',
    {
      schema: {
        tags,
        summary: 'Tick an action done (or not): the server ticks it in the source notes too',
        description:
          'Needs write access to the action’s meeting (members; guests with its notetaker link, or with the notetaker ' +
          'link of a later meeting of the series the action is carried into). Followers cannot tick. Works on closed ' +
          'meetings: their actions are reviewed at the next one. 409 for an action deleted from the notes.',
        params: Type.Object({ id: ActionId }),
        body: ActionPatchSchema,
        response: { 200: ActionRecordSchema, ...errors, 409: ErrorBody },
      },
    },
    async (request) => {
      const principal = request.principal;
      if (principal.kind !== 'guest') requireMember(request);
      const action = await getAction(app.sql.db, request.params.id);
      if (!action) throw notFound('no action with this id');
      const meeting = await mayTick(request, app.sql.db, action);
      if (action.removed) throw conflict('this action was deleted from the notes');
      const { done } = request.body;
      if (action.done !== done) {
        await setActionDone(app, action.id, done);
        request.log.info({ actionId: action.id, done }, 'action ticked');
        // A closed meeting's actions are the later meetings' Past actions.
        if (meeting.closed) app.events.publish({ type: 'past-actions-changed', meetingId: meeting.id });
      }
      const updated = await getAction(app.sql.db, action.id);
      if (!updated) throw notFound('no action with this id');
      return updated;
    },
  );
}
