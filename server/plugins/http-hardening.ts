// What every HTTP request and response goes through, whatever route answers it:
//  - only the configured host names are served (a DNS-rebinding page could otherwise talk to a
//    fresh loopback install as if it were same-origin, and claim its admin account);
//  - a path that does not decode, or holds a NUL, is a 400, logged quietly;
//  - JSON bodies nested deeper than MAX_JSON_DEPTH are refused before they are parsed (eight
//    anonymous bodies of a million "[" held the event loop for seconds);
//  - security headers: nosniff everywhere, no referrer (share links carry tokens), no framing,
//    and a Content-Security-Policy for the app's pages that allows no inline script.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config.js';
import { badRequest } from '../http-errors.js';

export const MAX_JSON_DEPTH = 32;

export const APP_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  // React and Lexical set style attributes; styles cannot run code.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "worker-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export interface AllowedHosts {
  names: Set<string>;
  /** Loopback names (localhost, 127.0.0.1, ::1, any port) are accepted: the server listens there. */
  loopback: boolean;
}

/** Host names (with port) requests may name; null accepts any (see below). */
export function allowedHosts(config: Pick<Config, 'host' | 'publicUrl' | 'allowedHosts'>): AllowedHosts | null {
  const names = new Set<string>(config.allowedHosts.map((h) => h.toLowerCase()));
  const publicUrl = new URL(config.publicUrl);
  names.add(publicUrl.host.toLowerCase());
  const listening = config.host.toLowerCase().replace(/^\[|\]$/g, '');
  const wildcard = listening === '0.0.0.0' || listening === '::';
  // Listening on every interface with no public name set: reachable by any address or name the
  // operator uses, and there is nothing to check against (the README asks for PUBLIC_URL).
  if (wildcard && isLoopbackName(publicUrl.hostname) && config.allowedHosts.length === 0) return null;
  return { names, loopback: wildcard || isLoopbackName(listening) };
}

function isLoopbackName(hostname: string): boolean {
  const name = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  return name === 'localhost' || name === '::1' || name.startsWith('127.');
}

/** Whether a Host header names this server: a configured name, or a loopback name (any port). */
export function isAllowedHost(host: string | undefined, allowed: AllowedHosts | null): boolean {
  if (allowed === null) return true;
  if (!host) return false;
  const value = host.toLowerCase();
  if (allowed.names.has(value)) return true;
  if (!allowed.loopback) return false;
  try {
    return isLoopbackName(new URL(`http://${value}`).hostname);
  } catch {
    return false;
  }
}

/** Deepest nesting of [ and { outside strings; stops counting past `limit`. */
export function jsonDepth(text: string, limit: number): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 0x5c) i++;
      else if (ch === 0x22) inString = false;
      continue;
    }
    if (ch === 0x22) inString = true;
    else if (ch === 0x5b || ch === 0x7b) {
      if (++depth > max) max = depth;
      if (max > limit) return max;
    } else if (ch === 0x5d || ch === 0x7d) depth--;
  }
  return max;
}

const HEALTH_PATHS = new Set(['/healthz', '/readyz']);

export async function httpHardening(app: FastifyInstance): Promise<void> {
  const hosts = allowedHosts(app.config);
  if (hosts === null) app.log.warn('listening on every interface without PUBLIC_URL: any Host header is accepted; set PUBLIC_URL (or ALLOWED_HOSTS)');

  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    // Health probes (HAProxy's checks, a container's HEALTHCHECK) name no host or an address of
    // their own, and these two answer nothing a rebound page could use.
    if (!isAllowedHost(request.headers.host, hosts) && !HEALTH_PATHS.has(request.url)) {
      request.log.info({ host: request.headers.host }, 'refused: unknown host name');
      return reply.code(421).send({ error: 'this server does not answer to that host name', statusCode: 421 });
    }
    const path = request.url.split('?', 1)[0]!;
    let decoded: string;
    try {
      decoded = decodeURIComponent(path);
    } catch {
      decoded = '\0';
    }
    if (decoded.includes('\0')) {
      request.log.info('refused: malformed path');
      return reply.code(400).send({ error: 'malformed path', statusCode: 400 });
    }
  });

  // One 404 for unknown routes, without echoing the URL (which may carry a token).
  app.setNotFoundHandler((request, reply) => {
    request.log.info({ method: request.method }, 'no such route');
    void reply.code(404).send({ error: 'not found', statusCode: 404 });
  });

  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = body as string;
    if (jsonDepth(text, MAX_JSON_DEPTH) > MAX_JSON_DEPTH) {
      done(badRequest(`JSON nested deeper than ${MAX_JSON_DEPTH} levels`), undefined);
      return;
    }
    parseJson(request, text, done);
  });

  app.addHook('onSend', async (request, reply) => {
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('Referrer-Policy', 'no-referrer');
    if (!reply.hasHeader('X-Frame-Options')) reply.header('X-Frame-Options', 'DENY');
    const type = String(reply.getHeader('content-type') ?? '');
    // Pages of the app; other HTML (the notes export) sets a stricter policy of its own.
    if (type.startsWith('text/html') && !reply.hasHeader('Content-Security-Policy')) reply.header('Content-Security-Policy', APP_CSP);
  });
}

// Decorations and hooks must apply to the whole app (what fastify-plugin does).
Object.assign(httpHardening, { [Symbol.for('skip-override')]: true });

