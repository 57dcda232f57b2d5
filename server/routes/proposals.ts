/** Topic proposals: anyone with access proposes; the owner schedules, merges or unschedules. */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import {
  ErrorBody,
  IdParams,
  MergeBody,
  PatchProposalBody,
  ProposalInput,
  ProposalList,
  ProposalParams,
  ProposalResponse,
  ScheduleBody,
  ScheduleResponse,
} from '../../shared/api/index.js';
import {
  createProposal,
  deleteProposal,
  listProposals,
  mergeProposal,
  scheduleProposal,
  unscheduleProposal,
  updateProposal,
} from '../meetings/proposals.js';
import { touchMeeting } from '../meetings/meetings.js';
import { meetingFor } from '../plugins/auth.js';
import { sanitizeGuestName } from '../plugins/collab-access.js';

const tags = ['topic proposals'];
const NoContent = Type.Null({ description: 'no content' });
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };

export async function proposalRoutes(base: FastifyInstance): Promise<void> {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  /** The agenda changed: the meeting's pages read it again (their outline, the item's notes). */
  const agendaChanged = (meetingId: string) => app.events.publish({ type: 'meeting-changed', meetingId, changed: 'details' });

  app.get(
    '/api/meetings/:id/proposals',
    { schema: { tags, summary: 'Topics proposed for the agenda', params: IdParams, response: { 200: ProposalList, ...errors } } },
    async (request) => {
      await meetingFor(request, app.sql.db, request.params.id, 'read');
      return { proposals: await listProposals(app.sql.db, request.params.id) };
    },
  );

  app.post(
    '/api/meetings/:id/proposals',
    {
      schema: {
        tags,
        summary: 'Propose a topic (anyone with access, while the meeting is open)',
        params: IdParams,
        body: ProposalInput,
        response: { 201: ProposalResponse, ...errors },
      },
    },
    async (request, reply) => {
      const { meeting } = await meetingFor(request, app.sql.db, request.params.id, 'propose');
      const principal = request.principal;
      const by =
        principal.kind === 'member'
          ? { userId: principal.user.id, defaultRequester: principal.user.name }
          : principal.kind === 'guest'
            ? { linkId: principal.link.id }
            : {};
      const body = request.principal.kind === 'guest' && request.body.requestedBy ? { ...request.body, requestedBy: sanitizeGuestName(request.body.requestedBy) } : request.body;
      const proposal = await createProposal(app.sql.db, meeting.id, body, by);
      return reply.code(201).send({ proposal });
    },
  );

  app.patch(
    '/api/meetings/:id/proposals/:proposalId',
    { schema: { tags, summary: 'Edit a proposal (owner or admin)', params: ProposalParams, body: PatchProposalBody, response: { 200: ProposalResponse, ...errors } } },
    async (request) => {
      await meetingFor(request, app.sql.db, request.params.id, 'manage');
      return { proposal: await updateProposal(app.sql.db, request.params.id, request.params.proposalId, request.body) };
    },
  );

  app.delete(
    '/api/meetings/:id/proposals/:proposalId',
    { schema: { tags, summary: 'Delete a proposal (owner or admin); an agenda item made from it stays', params: ProposalParams, response: { 204: NoContent, ...errors } } },
    async (request, reply) => {
      await meetingFor(request, app.sql.db, request.params.id, 'manage');
      await deleteProposal(app.sql.db, request.params.id, request.params.proposalId);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/meetings/:id/proposals/:proposalId/schedule',
    {
      schema: {
        tags,
        summary: 'Schedule a proposal into a slot of the agenda (owner or admin): it becomes an agenda item',
        params: ProposalParams,
        body: ScheduleBody,
        response: { 200: ScheduleResponse, ...errors },
      },
    },
    async (request) => {
      const { meeting } = await meetingFor(request, app.sql.db, request.params.id, 'manage');
      const scheduled = await scheduleProposal(app.sql.db, request.params.id, request.params.proposalId, request.body);
      if (!meeting.closed) await app.notes.syncAgenda(meeting.id);
      agendaChanged(meeting.id);
      return scheduled;
    },
  );

  app.post(
    '/api/meetings/:id/proposals/:proposalId/merge',
    {
      schema: {
        tags,
        summary: 'Merge a proposal into another proposal or an agenda item (owner or admin)',
        params: ProposalParams,
        body: MergeBody,
        response: { 200: ProposalResponse, ...errors },
      },
    },
    async (request) => {
      await meetingFor(request, app.sql.db, request.params.id, 'manage');
      const proposal = await app.sql.transaction(async (trx) => {
        const merged = await mergeProposal(trx, request.params.id, request.params.proposalId, request.body.into);
        await touchMeeting(trx, request.params.id);
        return merged;
      });
      agendaChanged(request.params.id);
      return { proposal };
    },
  );

  app.post(
    '/api/meetings/:id/proposals/:proposalId/unschedule',
    {
      schema: {
        tags,
        summary: 'Leave a proposal unscheduled again (owner or admin); the agenda item it became is removed',
        params: ProposalParams,
        response: { 200: ProposalResponse, ...errors },
      },
    },
    async (request) => {
      const { meeting } = await meetingFor(request, app.sql.db, request.params.id, 'manage');
      const proposal = await unscheduleProposal(app.sql.db, request.params.id, request.params.proposalId);
      if (!meeting.closed) await app.notes.syncAgenda(meeting.id);
      agendaChanged(meeting.id);
      return { proposal };
    },
  );
}
