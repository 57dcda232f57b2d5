import type { FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { CLIENT_BUILD_HEADER } from '../../shared/api/common.js';

/** Paths the single-page app never answers: the API and the collaboration endpoint keep their 404s. */
const SERVER_PREFIXES = ['/api/', '/collab/', '/healthz', '/readyz', '/metrics'];

/**
 * Serves the built client: a file of dist/client when the path names one (looked up per request,
 * so a rebuild while the server runs serves the new files), and index.html for every other GET
 * that looks like a page (`/m/:id`, `/login`, …) so the client router can take it.
 */
export async function staticRoutes(app: FastifyInstance, options: { root: string }): Promise<void> {
  const root = options.root;
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

/**
 * Every API answer names the client this server serves, so that a page loaded before an upgrade
 * (still connected, or reconnected after the restart) offers to reload. On the root instance: a
 * hook added inside a plugin reaches only that plugin's routes.
 */
export function announceClientBuild(app: FastifyInstance, root: string): void {
  const build = clientBuild(root);
  app.addHook('onSend', async (request, reply) => {
    if (!request.url.startsWith('/api/')) return;
    const current = build();
    if (current) reply.header(CLIENT_BUILD_HEADER, current);
  });
}

/**
 * The client build in `root`: the file name of index.html's entry script (`index-<hash>.js`, Vite
 * fingerprints it by content), read again whenever index.html changes; null without a build.
 */
export function clientBuild(root: string): () => string | null {
  const index = join(root, 'index.html');
  let seen = -1;
  let build: string | null = null;
  return () => {
    const changed = statSync(index, { throwIfNoEntry: false })?.mtimeMs ?? 0;
    if (changed !== seen) {
      seen = changed;
      build = changed === 0 ? null : (/<script[^>]*\ssrc="\/assets\/([^"]+\.js)"/.exec(readFileSync(index, 'utf8'))?.[1] ?? null);
    }
    return build;
  };
}
