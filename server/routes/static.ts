import type { FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';
import { existsSync, statSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where `vite build` writes the client (vite.config.ts `build.outDir`). */
export const CLIENT_DIST = resolve(fileURLToPath(new URL('../../dist/client', import.meta.url)));

/** Paths the single-page app never answers: the API and the collaboration endpoint keep their 404s. */
const SERVER_PREFIXES = ['/api/', '/collab/', '/healthz', '/readyz', '/metrics'];

/**
 * Serves the built client: a file of dist/client when the path names one (looked up per request,
 * so a rebuild while the server runs serves the new files), and index.html for every other GET
 * that looks like a page (`/m/:id`, `/login`, …) so the client router can take it.
 */
export async function staticRoutes(app: FastifyInstance, options: { root?: string } = {}): Promise<void> {
  const root = options.root ?? CLIENT_DIST;
  if (!existsSync(join(root, 'index.html'))) {
    app.log.warn({ root }, 'client build missing: run `npm start` (builds it) or `npx vite build`');
  }
  // Only reply.sendFile (safe path handling, ranges, ETags); the one route below decides what to send.
  await app.register(fastifyStatic, { root, serve: false, cacheControl: false });

  const isFile = (path: string): boolean => {
    const full = resolve(root, `.${path}`);
    if (full !== root && !full.startsWith(root + sep)) return false;
    return statSync(full, { throwIfNoEntry: false })?.isFile() === true;
  };

  app.get('/*', { schema: { hide: true } }, (request, reply) => {
    let path = request.url.split('?', 1)[0]!;
    try {
      path = decodeURIComponent(path);
    } catch {
      return reply.callNotFound();
    }
    if (SERVER_PREFIXES.some((prefix) => path === prefix.replace(/\/$/, '') || path.startsWith(prefix))) return reply.callNotFound();
    // Source maps are built (an operator can decode a minified stack trace with them) but not
    // served: the code is public anyway; this saves every browser 3 MB it never needs.
    if (path.endsWith('.map')) return reply.callNotFound();
    if (path !== '/' && isFile(path)) {
      // Vite fingerprints everything under assets/; anything else (sw.js) must be revalidated.
      reply.header('Cache-Control', path.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
      return reply.sendFile(path.slice(1));
    }
    // A missing file (`/assets/old-hash.js`) is a 404, not the app shell.
    if (/\.[A-Za-z0-9]{1,8}$/.test(path)) return reply.callNotFound();
    reply.header('Cache-Control', 'no-cache');
    return reply.sendFile('index.html');
  });
}
