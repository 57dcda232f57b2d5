/** Versions of a session's notes: list, read as they were, name one, restore one (issue 17). */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import * as Y from 'yjs';
import { Type } from 'typebox';
import {
  CreateVersionBody,
  ErrorBody,
  SessionParams,
  Version,
  VersionContent,
  VersionList,
  VersionParams,
  VersionQuery,
  type Version as VersionBody,
} from '../../shared/api/index.js';
import { blocksToHtml, escapeHtml } from '../../shared/exports/html.js';
import { readSessionBlocks } from '../notes/minutes.js';
import { meetingFor } from '../plugins/auth.js';
import { actorName } from '../plugins/actor.js';
import { conflict, forbidden, HttpError, notFound } from '../http-errors.js';
import { attributedBlocks } from '../history/attribution.js';
import { canonicalMarkdown, HistoryError } from '../history/service.js';
import type { VersionInfo } from '../history/version-store.js';

const tags = ['versions'];
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };
const PAGE_CSP = "sandbox; default-src 'none'; style-src 'unsafe-inline'";

export function versionView(version: VersionInfo): VersionBody {
  return {
    id: version.id,
    at: version.at,
    kind: version.kind,
    ...(version.name !== null ? { name: version.name } : {}),
    ...(version.createdBy !== null ? { by: version.createdBy } : {}),
    authors: version.authors,
    ...(version.sha256 !== null ? { sha256: version.sha256 } : {}),
  };
}

export async function versionRoutes(base: FastifyInstance): Promise<void> {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();

  /** The session's document, after the caller's access to the meeting is checked. */
  const sessionFor = async (request: FastifyRequest, meetingId: string, sessionId: string, need: 'read' | 'write') => {
    const { meeting, access } = await meetingFor(request, app.sql.db, meetingId, 'read');
    if (need === 'write') {
      if (access.role === 'follower') throw forbidden('followers are read-only');
      if (meeting.closed) throw conflict('the meeting is closed');
    }
    // Only the session's day and document: not the whole meeting, read on every version opened.
    const session = await app.sql.db.selectFrom('note_sessions').select(['id', 'date', 'doc']).where('id', '=', sessionId).where('meeting_id', '=', meetingId).executeTakeFirst();
    if (!session) throw notFound('no session with this id in this meeting');
    return { meeting, session };
  };

  const versionOf = async (doc: string, versionId: string): Promise<VersionInfo> => {
    const version = await app.history.store.get(versionId);
    if (!version || version.doc !== doc) throw notFound('no version with this id in this session');
    return version;
  };

  const failed = (error: unknown): never => {
    if (error instanceof HistoryError) throw new HttpError(error.code === 'closing' ? 503 : 404, error.message);
    throw error;
  };

  app.get(
    '/api/meetings/:id/sessions/:sessionId/versions',
    {
      schema: {
        tags,
        summary: 'The versions of a session’s notes, oldest first: automatic, named, sealed at a close, and restores',
        params: SessionParams,
        response: { 200: VersionList, ...errors },
      },
    },
    async (request) => {
      const { session } = await sessionFor(request, request.params.id, request.params.sessionId, 'read');
      return { versions: (await app.history.store.list(session.doc)).map(versionView) };
    },
  );

  app.post(
    '/api/meetings/:id/sessions/:sessionId/versions',
    {
      schema: {
        tags,
        summary: 'Keep the notes as they are now under a name, e.g. “before the break” (owners and notetakers of an open meeting)',
        params: SessionParams,
        body: CreateVersionBody,
        response: { 201: Version, ...errors, 409: ErrorBody },
      },
    },
    async (request, reply) => {
      const { session } = await sessionFor(request, request.params.id, request.params.sessionId, 'write');
      const version = await app.history.named(session.doc, request.body.name.trim(), actorName(request)).catch(failed);
      request.log.info({ doc: session.doc, versionId: version.id }, 'version named');
      return reply.code(201).send(versionView(version));
    },
  );

  app.get(
    '/api/meetings/:id/sessions/:sessionId/versions/:versionId',
    {
      schema: {
        tags,
        summary: 'The notes exactly as they were at a version',
        description:
          '`format=md` (default) is the canonical Markdown a sealed version’s `sha256` is of; `format=html` a self-contained page; ' +
          '`format=json` the blocks with their text split by author (`runs[].author` indexes `authors`), for the history view.',
        params: VersionParams,
        querystring: VersionQuery,
        response: {
          200: {
            description: 'the notes at this version',
            content: {
              'text/markdown': { schema: Type.String() },
              'text/html': { schema: Type.String() },
              'application/json': { schema: VersionContent },
            },
          },
          ...errors,
        },
      },
    },
    async (request, reply) => {
      const { meeting, session } = await sessionFor(request, request.params.id, request.params.sessionId, 'read');
      const version = await versionOf(session.doc, request.params.versionId);
      const state = (await app.history.store.state(version.id))!;
      const format = request.query.format ?? 'md';
      if (format === 'md') {
        return reply
          .type('text/markdown; charset=utf-8')
          .header('content-disposition', `inline; filename="${session.date}-${version.id}.md"`)
          .send(canonicalMarkdown(state));
      }
      if (format === 'html') {
        const label = version.name ?? `${version.kind} version`;
        const page = [
          '<!doctype html>',
          '<html lang="en"><head><meta charset="utf-8">',
          `<title>${escapeHtml(`${meeting.title}, ${session.date}: ${label}`)}</title></head><body>`,
          `<h1>${escapeHtml(meeting.title)}</h1>`,
          `<p>${escapeHtml(`${session.date} · ${label} · ${version.at}`)}${version.sha256 ? ` · SHA-256 <code>${version.sha256}</code>` : ''}</p>`,
          blocksToHtml(readSessionBlocks(state), 1) || '<p>No notes.</p>',
          '</body></html>',
        ].join('\n');
        return reply.type('text/html; charset=utf-8').header('x-content-type-options', 'nosniff').header('content-security-policy', PAGE_CSP).send(page);
      }
      const doc = new Y.Doc();
      try {
        Y.applyUpdate(doc, state);
        const { blocks, authors } = attributedBlocks(doc, await app.history.store.authorship(session.doc));
        return { version: versionView(version), authors, blocks };
      } finally {
        doc.destroy();
      }
    },
  );

  app.post(
    '/api/meetings/:id/sessions/:sessionId/versions/:versionId/restore',
    {
      schema: {
        tags,
        summary: 'Make the live notes read as this version did, as a new edit everyone connected sees (owners and notetakers of an open meeting)',
        description: 'The notes before the restore are kept as a version first; the answer is the new `restore` version.',
        params: VersionParams,
        response: { 200: Version, ...errors, 409: ErrorBody },
      },
    },
    async (request) => {
      const { session } = await sessionFor(request, request.params.id, request.params.sessionId, 'write');
      await versionOf(session.doc, request.params.versionId);
      const restored = await app.history.restore(session.doc, request.params.versionId, actorName(request)).catch(failed);
      // The action records follow the notes as for any edit.
      await app.notes.flush(session.doc);
      request.log.info({ doc: session.doc, versionId: request.params.versionId }, 'version restored');
      return versionView(restored);
    },
  );
}
