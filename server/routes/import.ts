/** Old minutes in: POST /api/meetings/import (issue 16). */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { CreatedMeeting, ErrorBody, ImportBody, ImportPreview } from '../../shared/api/index.js';
import { requireMember } from '../plugins/auth.js';
import { createLink, shareUrl } from '../meetings/share-links.js';
import { listSessions } from '../meetings/meetings.js';
import { conflict } from '../http-errors.js';
import { importPage, ImportError, readPage, type ReadPage } from '../import/importer.js';
import { meetingView } from './meetings.js';

function previewBody(read: ReadPage, today: string, open: boolean): ImportPreview {
  return { format: read.format, ...read.preview, duplicateOf: read.duplicateOf, closed: read.preview.endDate < today && !open };
}

export async function importRoutes(base: FastifyInstance): Promise<void> {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const today = () => new Date().toISOString().slice(0, 10);

  app.post(
    '/api/meetings/import',
    {
      // A wiki page with its tables can be large; the body is text, not a file upload.
      bodyLimit: 2 * 1024 * 1024,
      schema: {
        tags: ['meetings'],
        summary: 'Import an old meeting page (Markdown, HTML, Confluence storage format or text) as a meeting with its notes and actions (members)',
        description:
          '`dryRun: true` answers the preview (200): the meeting as it would be created, its days, items and notes under each item, ' +
          'the actions with assignee, due date and state, proposals, warnings and guesses. Otherwise the meeting is created exactly as ' +
          'previewed (201, like POST /api/meetings, with the preview under `import`). A page imported before is refused (409 with ' +
          '`duplicateOf`) unless `replace: true`. A meeting whose last day is past is created closed unless `open: true`.',
        body: ImportBody,
        response: {
          200: ImportPreview,
          201: Type.Intersect([CreatedMeeting, Type.Object({ import: ImportPreview })]),
          400: ErrorBody,
          401: ErrorBody,
          403: ErrorBody,
          409: Type.Intersect([ErrorBody, Type.Object({ duplicateOf: Type.Optional(Type.String()) })]),
        },
      },
    },
    async (request, reply) => {
      const member = requireMember(request);
      const body = request.body;
      const ask = { content: body.content, filename: body.filename ?? null, series: body.series ?? null, open: body.open === true, today: today(), ticketProjects: app.config.ticketProjects };
      if (body.dryRun) return reply.code(200).send(previewBody(await readPage(app.sql.db, ask), ask.today, ask.open));
      const before = await readPage(app.sql.db, ask);
      if (before.duplicateOf && !body.replace) {
        return reply.code(409).send({ error: `this page was imported before; import it again with "replace" to replace that meeting`, statusCode: 409, duplicateOf: before.duplicateOf });
      }
      if (before.duplicateOf) {
        const old = before.duplicateOf;
        const docs = (await listSessions(app.sql.db, old)).map((session) => session.doc);
        app.events.publish({ type: 'meeting-deleted', meetingId: old, docs, reason: 'meeting replaced by a new import' });
      }
      let made;
      try {
        made = await importPage(app.sql.db, app.documents, member.user.id, { ...ask, replace: body.replace === true }, before);
      } catch (error) {
        if (error instanceof ImportError) throw conflict(error.message);
        throw error;
      }
      const { meeting, read, replaced } = made;
      const links = [];
      for (const role of ['notetaker', 'follower'] as const) {
        links.push(await createLink(app.sql.db, app.linkSealer, meeting.id, { role, label: role === 'notetaker' ? 'edit link' : 'view link', createdBy: member.user.id }));
      }
      request.log.info({ meetingId: meeting.id, format: read.format, actions: read.preview.actions.length, replaced }, 'meeting imported');
      const view = await meetingView(app, meeting, { role: 'owner', canWrite: !meeting.closed, canManage: true }, false);
      return reply.code(201).send({
        ...view,
        links: links.map(({ meetingId: _m, ...link }) => ({ ...link, url: shareUrl(app.config.publicUrl, meeting.id, link.token) })),
        import: previewBody(read, ask.today, ask.open),
      });
    },
  );
}
