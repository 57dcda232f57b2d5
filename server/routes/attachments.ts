/**
 * Attachments of agenda items: files (uploaded as the request body, checked by content, stored by
 * hash) and links. Everyone who may read the meeting lists and downloads them; notetakers and
 * owners of an open meeting add and remove them.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { Attachment, AttachLinkBody, AttachmentList, AttachmentParams, ErrorBody, IdParams, ItemParams, UploadQuery } from '../../shared/api/index.js';
import { meetingFor } from '../plugins/auth.js';
import { conflict, forbidden, HttpError } from '../http-errors.js';

const tags = ['attachments'];
const NoContent = Type.Null({ description: 'no content' });
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };

function megabytes(bytes: number): string {
  return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;
}

/** RFC 6266: a plain fallback name and the exact one, UTF-8 encoded. */
function contentDisposition(name: string): string {
  const fallback = name.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

export async function attachmentRoutes(base: FastifyInstance): Promise<void> {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const limit = app.config.maxAttachmentBytes;

  /** The meeting, when the caller may add or remove its attachments. */
  const forWriting = async (request: FastifyRequest, id: string) => {
    const found = await meetingFor(request, app.sql.db, id, 'read');
    if (found.meeting.closed) throw conflict('the meeting is closed: its attachments can no longer change');
    if (!found.access.canWrite) throw forbidden('followers can open attachments; notetakers and the owner add and remove them');
    return found;
  };
  /** Every page of the meeting lists the item's files and links again. */
  const attachmentsChanged = (meetingId: string) => app.events.publish({ type: 'meeting-changed', meetingId, changed: 'attachments' });
  const author = (request: FastifyRequest): string | null => (request.principal.kind === 'member' ? request.principal.user.id : request.principal.kind === 'guest' ? `link:${request.principal.link.id}` : null);

  app.get(
    '/api/meetings/:id/attachments',
    { schema: { tags, summary: 'Files and links attached to the meeting’s agenda items', params: IdParams, response: { 200: AttachmentList, ...errors } } },
    async (request) => {
      await meetingFor(request, app.sql.db, request.params.id, 'read');
      return { attachments: await app.attachments.list(request.params.id) };
    },
  );

  app.post(
    '/api/meetings/:id/items/:itemId/attachments/links',
    { schema: { tags, summary: 'Attach a link (URL and title) to an agenda item (notetakers and owners)', params: ItemParams, body: AttachLinkBody, response: { 201: Attachment, ...errors } } },
    async (request, reply) => {
      const { meeting } = await forWriting(request, request.params.id);
      const attachment = await app.attachments.addLink(meeting.id, request.params.itemId, request.body.url, request.body.title ?? null, author(request));
      attachmentsChanged(meeting.id);
      return reply.code(201).send(attachment);
    },
  );

  // Uploads take the file as the raw request body, whatever its type, up to the size limit.
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: limit }, (_request, body, done) => done(null, body));
    const tooLarge = () => new HttpError(413, `the file is larger than the limit of ${megabytes(limit)} (MAX_ATTACHMENT_BYTES)`);
    // Refused before a byte is read when the size is announced; the body limit stops the rest.
    scope.addHook('onRequest', async (request) => {
      const length = Number(request.headers['content-length'] ?? 0);
      if (length > limit) throw tooLarge();
    });
    scope.setErrorHandler((error) => {
      if ((error as { code?: string }).code === 'FST_ERR_CTP_BODY_TOO_LARGE') throw tooLarge();
      throw error;
    });
    scope.withTypeProvider<TypeBoxTypeProvider>().post(
      '/api/meetings/:id/items/:itemId/attachments/files',
      {
        schema: {
          tags,
          summary: 'Upload a file to an agenda item (notetakers and owners): the body is the file, `name` its file name',
          params: ItemParams,
          querystring: UploadQuery,
          response: { 201: Attachment, ...errors, 413: ErrorBody },
        },
      },
      async (request, reply) => {
        const { meeting } = await forWriting(request, request.params.id);
        const body = request.body;
        const bytes = Buffer.isBuffer(body) ? body : Buffer.alloc(0);
        const attachment = await app.attachments.addFile(meeting.id, request.params.itemId, request.query.name, bytes, author(request));
        request.log.info({ meetingId: meeting.id, attachmentId: attachment.id, size: attachment.size }, 'file attached');
        attachmentsChanged(meeting.id);
        return reply.code(201).send(attachment);
      },
    );
  });

  app.get(
    '/api/meetings/:id/attachments/:attachmentId',
    {
      schema: {
        tags,
        summary: 'Download an attached file (always as a download, never shown inline)',
        params: AttachmentParams,
        response: { 200: Type.Unsafe<Buffer>({ type: 'string', format: 'binary', description: 'the file' }), ...errors },
      },
    },
    async (request, reply) => {
      const { meeting } = await meetingFor(request, app.sql.db, request.params.id, 'read');
      const { attachment, bytes } = await app.attachments.read(meeting.id, request.params.attachmentId);
      return reply
        .type(attachment.contentType ?? 'application/octet-stream')
        .header('content-disposition', contentDisposition(attachment.name))
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', "sandbox; default-src 'none'")
        .header('cache-control', 'private, no-store')
        .send(bytes);
    },
  );

  app.delete(
    '/api/meetings/:id/attachments/:attachmentId',
    { schema: { tags, summary: 'Remove an attachment (notetakers and owners)', params: AttachmentParams, response: { 204: NoContent, ...errors } } },
    async (request, reply) => {
      const { meeting } = await forWriting(request, request.params.id);
      await app.attachments.remove(meeting.id, request.params.attachmentId);
      attachmentsChanged(meeting.id);
      return reply.code(204).send(null);
    },
  );
}
