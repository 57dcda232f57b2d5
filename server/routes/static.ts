import type { FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where `vite build` writes the client (vite.config.ts `build.outDir`). */
export const CLIENT_DIST = resolve(fileURLToPath(new URL('../../dist/client', import.meta.url)));

/** Paths the single-page app never answers: the API and the collaboration endpoint keep their 404s. */
const SERVER_PREFIXES = ['/api/', '/collab/', '/healthz', '/readyz'];

/**
 * Serves the built client. Files are registered one route each at start (the build exists before
 * the server starts: `npm start` builds first), and every other GET that looks like a page
 * (`/m/:id`, `/login`, …) answers index.html so the client router can take it.
 */
export async function staticRoutes(app: FastifyInstance, options: { root?: string } = {}): Promise<void> {
  const root = options.root ?? CLIENT_DIST;
  if (!existsSync(join(root, 'index.html'))) {
    app.log.warn({ root }, 'client build missing: run `npm start` (builds it) or `npx vite build`');
    return;
  }
  await app.register(fastifyStatic, {
    root,
    wildcard: false,
    index: 'index.html',
    // Our own Cache-Control below; send's default (max-age=0) would override it.
    cacheControl: false,
    setHeaders(res, path) {
      // Vite fingerprints everything under assets/; index.html must always be revalidated.
      res.setHeader('Cache-Control', path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  app.get('/*', { schema: { hide: true } }, (request, reply) => {
    const path = request.url.split('?', 1)[0]!;
    const isServerPath = SERVER_PREFIXES.some((prefix) => path === prefix.replace(/\/$/, '') || path.startsWith(prefix));
    // A missing file (`/assets/old-hash.js`) is a 404, not the app shell.
    const looksLikeFile = /\.[A-Za-z0-9]{1,8}$/.test(path);
    if (isServerPath || looksLikeFile) return reply.callNotFound();
    reply.header('Cache-Control', 'no-cache');
    return reply.sendFile('index.html');
  });
}
