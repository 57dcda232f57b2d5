/** Search across meetings: GET /api/search (issue 17). */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { ErrorBody, SearchQuery, SearchResults } from '../../shared/api/index.js';
import { forbidden, unauthorized } from '../http-errors.js';
import { searchWith } from '../search/search.js';
import { resolveSeries } from '../meetings/series.js';

export async function searchRoutes(base: FastifyInstance): Promise<void> {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  app.get(
    '/api/search',
    {
      schema: {
        tags: ['search'],
        summary: 'Search titles, agendas, running notes, actions and proposals, best match first',
        description:
          'Every word must match; "quoted words" match as a phrase; the last word also matches as a prefix. Members search every ' +
          'meeting; a share link searches its own meeting only. Snippets mark matches with U+E000 … U+E001. `offset` pages on ' +
          'in the same order (up to 1,000 results in all).',
        querystring: SearchQuery,
        response: { 200: SearchResults, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody },
      },
    },
    async (request) => {
      const principal = request.principal;
      if (principal.kind === 'invalid-token') throw forbidden(principal.reason);
      if (principal.kind !== 'member' && principal.kind !== 'guest') throw unauthorized();
      const { q, series, from, to, limit, offset } = request.query;
      const meetingId = principal.kind === 'guest' ? principal.link.meetingId : null;
      return { results: await searchWith(app.sql, q, { meetingId, series: await resolveSeries(app.sql.db, series), from: from ?? null, to: to ?? null, limit: limit ?? 30, offset: offset ?? 0 }) };
    },
  );
}
