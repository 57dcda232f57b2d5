/** Share links of a meeting (owner or admin): list, create, rotate, revoke. */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { CreateLinkBody, ErrorBody, IdParams, LinkList, LinkParams, ShareLinkWithToken } from '../../shared/api/index.js';
import { createLink, linkViews, revokeLink, rotateLink, shareUrl, type LinkRecord } from '../meetings/share-links.js';
import { meetingFor } from '../plugins/auth.js';

const tags = ['share links'];
const NoContent = Type.Null({ description: 'no content' });
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };

export async function linkRoutes(base: FastifyInstance): Promise<void> {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const withUrl = ({ meetingId, ...link }: LinkRecord & { token: string }) => ({ ...link, url: shareUrl(app.config.publicUrl, meetingId, link.token) });

  /** Closes, at once, every live connection a link admitted. */
  const cutOff = (linkId: string, reason: string): number => app.events.publish({ type: 'link-revoked', linkId, reason });

  app.get(
    '/api/meetings/:id/links',
    { schema: { tags, summary: 'The meeting’s share links with their addresses (owner or admin)', params: IdParams, response: { 200: LinkList, ...errors } } },
    async (request) => {
      await meetingFor(request, app.sql.db, request.params.id, 'manage');
      return { links: await linkViews(app.sql.db, app.linkSealer, app.config.publicUrl, request.params.id) };
    },
  );

  app.post(
    '/api/meetings/:id/links',
    {
      schema: {
        tags,
        summary: 'Create a share link: notetaker (may edit) or follower (read-only); the token is shown once',
        params: IdParams,
        body: CreateLinkBody,
        response: { 201: ShareLinkWithToken, ...errors },
      },
    },
    async (request, reply) => {
      const { meeting } = await meetingFor(request, app.sql.db, request.params.id, 'manage');
      const createdBy = request.principal.kind === 'member' ? request.principal.user.id : null;
      const link = await createLink(app.sql.db, app.linkSealer, meeting.id, { role: request.body.role, label: request.body.label ?? null, createdBy });
      request.log.info({ meetingId: meeting.id, linkId: link.id, role: link.role }, 'share link created');
      return reply.code(201).send(withUrl(link));
    },
  );

  app.post(
    '/api/meetings/:id/links/:linkId/rotate',
    {
      schema: {
        tags,
        summary: 'Give the link a new token; connections that used the old one are closed at once',
        params: LinkParams,
        response: { 200: ShareLinkWithToken, ...errors, 409: ErrorBody },
      },
    },
    async (request) => {
      const { meeting } = await meetingFor(request, app.sql.db, request.params.id, 'manage');
      const link = await rotateLink(app.sql.db, app.linkSealer, meeting.id, request.params.linkId);
      const closed = cutOff(link.id, 'share link rotated');
      request.log.info({ meetingId: meeting.id, linkId: link.id, closed }, 'share link rotated');
      return withUrl(link);
    },
  );

  app.delete(
    '/api/meetings/:id/links/:linkId',
    { schema: { tags, summary: 'Revoke the link; connections it admitted are closed at once', params: LinkParams, response: { 204: NoContent, ...errors } } },
    async (request, reply) => {
      const { meeting } = await meetingFor(request, app.sql.db, request.params.id, 'manage');
      const link = await revokeLink(app.sql.db, meeting.id, request.params.linkId);
      const closed = cutOff(link.id, 'share link revoked');
      request.log.info({ meetingId: meeting.id, linkId: link.id, closed }, 'share link revoked');
      return reply.code(204).send(null);
    },
  );
}
