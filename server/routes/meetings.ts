/** Meetings: create (with attendees, agenda and two share links), read, list, update, close, delete. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import {
  CreatedMeeting,
  CreateMeetingBody,
  ErrorBody,
  IdParams,
  ListMeetingsQuery,
  Meeting,
  MeetingList,
  PatchMeetingBody,
  RenamedSeries,
  RenameSeriesBody,
  ReplaceMeetingBody,
  SeriesList,
  SeriesParams,
  tidySeries,
  type Meeting as MeetingBody,
  type Seal,
} from '../../shared/api/index.js';
import { actorName } from '../plugins/actor.js';
import { badRequest, forbidden, HttpError, notFound } from '../http-errors.js';
import type { MeetingAccess } from '../meetings/access.js';
import { createMeeting, deleteMeeting, getMeeting, listMeetings, setClosed, updateMeeting, type MeetingDetails } from '../meetings/meetings.js';
import { createProposal } from '../meetings/proposals.js';
import { listSeries, renamableSeries, renameSeries, seriesFilter } from '../meetings/series.js';
import { createLink, linkViews, shareUrl, type LinkRecord } from '../meetings/share-links.js';
import { meetingFor, requireMember } from '../plugins/auth.js';

const tags = ['meetings'];
const NoContent = Type.Null({ description: 'no content' });
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };

/** The meeting as this caller may see it: guests get no e-mail addresses, only managers see links. */
export async function meetingView(app: FastifyInstance, meeting: MeetingDetails, access: MeetingAccess, guest: boolean): Promise<MeetingBody> {
  const { ownerId: _owner, ...fields } = meeting;
  return {
    ...fields,
    attendees: guest ? meeting.attendees.map((a) => ({ ...a, email: null })) : meeting.attendees,
    access: { role: access.role, canWrite: access.canWrite, canManage: access.canManage },
    ...(access.canManage ? { links: await linkViews(app.sql.db, app.linkSealer, app.config.publicUrl, meeting.id) } : {}),
    ...(meeting.closed ? { seals: await sealsOf(app, meeting.id) } : {}),
    ticketProjects: app.config.ticketProjects,
  };
}

async function sealsOf(app: FastifyInstance, meetingId: string): Promise<Seal[]> {
  return (await app.history.store.seals(meetingId)).map((v) => ({ sessionId: v.sessionId, versionId: v.id, at: v.at, by: v.createdBy, sha256: v.sha256 ?? '' }));
}

export async function meetingRoutes(base: FastifyInstance): Promise<void> {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const isGuest = (request: FastifyRequest) => request.principal.kind === 'guest';

  app.post(
    '/api/meetings',
    {
      schema: {
        tags,
        summary: 'Create a meeting with attendees and agenda; answers one session per day and an edit and a view link',
        description: 'The share link tokens are shown only in this answer (and when a link is rotated); the server keeps only their hashes.',
        body: CreateMeetingBody,
        response: { 201: CreatedMeeting, ...errors },
      },
    },
    async (request, reply) => {
      const member = requireMember(request);
      const { proposals, ...fields } = request.body;
      // The meeting, its links and proposals are made together or not at all.
      const { meeting, links } = await app.sql.transaction(async (trx) => {
        const created = await createMeeting(trx, member.user.id, fields);
        const made: Array<LinkRecord & { token: string }> = [];
        for (const role of ['notetaker', 'follower'] as const) {
          made.push(await createLink(trx, app.linkSealer, created.id, { role, label: role === 'notetaker' ? 'edit link' : 'view link', createdBy: member.user.id }));
        }
        for (const proposal of proposals ?? []) await createProposal(trx, created.id, proposal, { userId: member.user.id });
        return { meeting: created, links: made };
      });
      request.log.info({ meetingId: meeting.id, sessions: meeting.sessions.length }, 'meeting created');
      const view = await meetingView(app, meeting, { role: 'owner', canWrite: true, canManage: true }, false);
      return reply.code(201).send({
        ...view,
        links: links.map(({ meetingId: _m, ...link }) => ({ ...link, url: shareUrl(app.config.publicUrl, meeting.id, link.token) })),
      });
    },
  );

  app.get(
    '/api/meetings',
    {
      schema: {
        tags,
        summary: 'List meetings (members): upcoming soonest first, past and all most recent first; filter by series',
        querystring: ListMeetingsQuery,
        response: { 200: MeetingList, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody },
      },
    },
    async (request) => {
      requireMember(request);
      const { series, ...filter } = request.query;
      const named = series === undefined ? {} : { series: await seriesFilter(app.sql.db, series) };
      return { meetings: await listMeetings(app.sql.db, { ...filter, ...named }) };
    },
  );

  app.get(
    '/api/series',
    {
      schema: {
        tags,
        summary: 'The series (members): every name meetings share, with how many meetings and the days they span, by name',
        response: { 200: SeriesList, 401: ErrorBody, 403: ErrorBody },
      },
    },
    async (request) => {
      const { user } = requireMember(request);
      const mayRename = await renamableSeries(app.sql.db, user);
      return { series: (await listSeries(app.sql.db)).map((series) => ({ ...series, canRename: mayRename(series.name) })) };
    },
  );

  app.patch(
    '/api/series/:name',
    {
      schema: {
        tags,
        summary: 'Rename a series (admins, or the owner of all its meetings): every meeting of it takes the new name',
        description:
          'The name is the stored one, as `GET /api/series` lists it. A new name that another series goes by (ignoring case and ' +
          'spaces) joins the two: open actions then carry across both, by date. Open pages of the meetings show the new name.',
        params: SeriesParams,
        body: RenameSeriesBody,
        response: { 200: RenamedSeries, ...errors },
      },
    },
    async (request) => {
      const { user } = requireMember(request);
      const from = request.params.name;
      if (tidySeries(request.body.name) === '') throw badRequest('a series needs a name');
      if (!(await renamableSeries(app.sql.db, user))(from)) throw forbidden('only an admin, or the owner of all its meetings, can rename a series');
      const renamed = await renameSeries(app.sql.db, from, request.body.name);
      if (!renamed) throw notFound('no meeting is of this series');
      for (const meeting of renamed.moved) app.events.publish({ type: 'meeting-changed', meetingId: meeting.id, changed: 'details' });
      // Joined to another series, the closed meetings moved carry their open actions into the
      // later meetings of both: one event from the earliest reaches every later meeting.
      const earliestClosed = renamed.merged ? renamed.moved.find((meeting) => meeting.closed) : undefined;
      if (earliestClosed) app.events.publish({ type: 'past-actions-changed', meetingId: earliestClosed.id, formerPlace: { series: from, startDate: earliestClosed.startDate } });
      const series = (await listSeries(app.sql.db)).find((s) => s.name === renamed.name)!;
      return { series, merged: renamed.merged };
    },
  );

  app.get(
    '/api/meetings/:id',
    { schema: { tags, summary: 'A meeting, with the caller’s access to it (members, or a share token of this meeting)', params: IdParams, response: { 200: Meeting, ...errors } } },
    async (request) => {
      const { access } = await meetingFor(request, app.sql.db, request.params.id, 'read');
      return meetingView(app, (await getMeeting(app.sql.db, request.params.id))!, access, isGuest(request));
    },
  );

  const update = async (request: FastifyRequest, id: string, body: PatchMeetingBody): Promise<MeetingBody> => {
    const { meeting: before, access } = await meetingFor(request, app.sql.db, id, 'manage');
    const meeting = await updateMeeting(app.sql.db, id, body);
    // The notes of an open meeting show the new agenda at once; sealed minutes stay as they are.
    if (!meeting.closed && (body.agenda !== undefined || body.startDate !== undefined || body.endDate !== undefined)) await app.notes.syncAgenda(id);
    // And its pages the new title, days, attendees (for the typeahead and highlighting), agenda,
    // and the series' actions it carries, which follow its series and start date.
    app.events.publish({ type: 'meeting-changed', meetingId: id, changed: 'details' });
    // A closed meeting moved in or out of a series, or along it, is carried by other meetings:
    // those that carried it and those that now do read their Past actions again.
    if (meeting.closed && (meeting.series !== before.series || meeting.startDate !== before.startDate)) {
      const formerPlace = before.series !== null ? { series: before.series, startDate: before.startDate } : undefined;
      app.events.publish({ type: 'past-actions-changed', meetingId: id, ...(formerPlace ? { formerPlace } : {}) });
    }
    return meetingView(app, meeting, access, false);
  };

  app.patch(
    '/api/meetings/:id',
    { schema: { tags, summary: 'Change the fields given (owner or admin); agenda items keep the ids sent back', params: IdParams, body: PatchMeetingBody, response: { 200: Meeting, ...errors } } },
    async (request) => update(request, request.params.id, request.body),
  );

  app.put(
    '/api/meetings/:id',
    { schema: { tags, summary: 'Replace the meeting’s details (owner or admin); omitted optional fields are cleared', params: IdParams, body: ReplaceMeetingBody, response: { 200: Meeting, ...errors } } },
    async (request) =>
      update(request, request.params.id, { series: null, endDate: null, timezone: null, location: null, joinUrl: null, joinText: null, agenda: [], ...request.body }),
  );

  app.delete(
    '/api/meetings/:id',
    { schema: { tags, summary: 'Delete a meeting and its notes (owner or admin); live connections are closed', params: IdParams, response: { 204: NoContent, ...errors } } },
    async (request, reply) => {
      const id = request.params.id;
      await meetingFor(request, app.sql.db, id, 'manage');
      const files = await app.attachments.hashesOf(id);
      const { docs } = await deleteMeeting(app.sql.db, id);
      // Every process closes the meeting's connections and discards its documents, then deletes
      // their data (RoomRegistry.discard): an edit that landed after the delete goes with them.
      app.events.publish({ type: 'meeting-deleted', meetingId: id, docs, reason: 'meeting deleted' });
      // The meeting's files go with it, unless another meeting attached the same bytes.
      await app.attachments.collect(files);
      request.log.info({ meetingId: id }, 'meeting deleted');
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/meetings/:id/close',
    {
      schema: {
        tags,
        summary: 'Close the meeting (owner or admin): its minutes become read-only for everyone, live connections included, and each session’s notes are sealed (a version with the SHA-256 of its canonical Markdown)',
        params: IdParams,
        response: { 200: Meeting, ...errors, 503: ErrorBody },
      },
    },
    async (request) => {
      const id = request.params.id;
      const { access } = await meetingFor(request, app.sql.db, id, 'manage');
      await setClosed(app.sql.db, id, true);
      const changed = app.events.publish({ type: 'meeting-closed', meetingId: id });
      // Read-only from here on, so the seal is of the minutes as they stay.
      const by = actorName(request);
      try {
        for (const session of (await getMeeting(app.sql.db, id))!.sessions) {
          await app.notes.flush(session.doc);
          await app.history.seal(session.doc, by);
        }
      } catch (error) {
        request.log.error({ meetingId: id, err: (error as Error).message }, 'minutes not sealed');
        throw new HttpError(503, 'the meeting is closed, but its minutes could not be sealed (the server cannot save right now); close it again to seal them');
      } finally {
        // Its pages show it closed and sealed; its open actions are now carried into the later
        // meetings of the series (once its passes are written, above), whose pages read them.
        app.events.publish({ type: 'meeting-changed', meetingId: id, changed: 'details' });
        app.events.publish({ type: 'past-actions-changed', meetingId: id });
      }
      request.log.info({ meetingId: id, connections: changed }, 'meeting closed and its minutes sealed');
      return meetingView(app, (await getMeeting(app.sql.db, id))!, { ...access, canWrite: false }, false);
    },
  );

  app.post(
    '/api/meetings/:id/reopen',
    { schema: { tags, summary: 'Reopen a closed meeting (owner or admin); followers stay read-only', params: IdParams, response: { 200: Meeting, ...errors } } },
    async (request) => {
      const id = request.params.id;
      const { access } = await meetingFor(request, app.sql.db, id, 'manage');
      await setClosed(app.sql.db, id, false);
      const changed = app.events.publish({ type: 'meeting-reopened', meetingId: id });
      app.events.publish({ type: 'meeting-changed', meetingId: id, changed: 'details' });
      app.events.publish({ type: 'past-actions-changed', meetingId: id });
      request.log.info({ meetingId: id, connections: changed }, 'meeting reopened');
      return meetingView(app, (await getMeeting(app.sql.db, id))!, { ...access, canWrite: true }, false);
    },
  );
}
