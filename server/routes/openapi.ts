/**
 * The OpenAPI 3.1 document, generated from the route schemas. Registered before any route so
 * that every route registered after it (ours and other engineers') is described.
 */
import fastifySwagger from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route under /api, as registered: the OpenAPI test checks the document lists them all. */
    apiRoutes: ReadonlyArray<{ method: string; url: string }>;
  }
}

export async function registerOpenApi(app: FastifyInstance): Promise<void> {
  const routes: Array<{ method: string; url: string }> = [];
  app.decorate('apiRoutes', routes);
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/')) return;
    for (const method of [route.method].flat()) if (method !== 'HEAD') routes.push({ method, url: route.url });
  });

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Quorum API',
        version: '1',
        description:
          'Meetings, accounts, share links and topic proposals of Quorum. Members authenticate with the httpOnly session ' +
          'cookie set by POST /api/login; guests with a share token, as `?token=` or `Authorization: Bearer`. Errors ' +
          'answer `{error, statusCode}`: 400 invalid input, 401 no credentials, 403 a bad token or no access, 404 unknown.',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'quorum_session' },
          shareToken: { type: 'http', scheme: 'bearer' },
          shareTokenQuery: { type: 'apiKey', in: 'query', name: 'token' },
        },
      },
      security: [{ session: [] }, { shareToken: [] }, { shareTokenQuery: [] }],
    },
  });

  app.get(
    '/api/openapi.json',
    { schema: { tags: ['meta'], summary: 'This document', security: [], response: { 200: { type: 'object', additionalProperties: true } } } },
    async () => app.swagger(),
  );
}
