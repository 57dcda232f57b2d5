import type { FastifyServerOptions } from 'fastify';
import type { Config } from './config.js';

/** Query parameters that carry secrets: `?token=…` and the like, in any case. */
const SECRET_PARAM = /([?&](?:token|invite|password|key)=)[^&#\s"']*/gi;

/**
 * Path segments that are secrets: a member's calendar feed, /api/calendar/<token>.ics, however
 * the path was spelled (`//api/…`, `/API/…`, percent-encoded slashes) and wherever it appears in
 * a line (a URL field, a "route not found" message).
 */
const SECRET_PATH = /(\/+api(?:\/+|%2f)calendar(?:\/+|%2f))[^/?#\s"']+/gi;

/** Removes secrets from any text that may hold a URL; used for every string a log line carries. */
export function scrubText(text: string): string {
  return text.replace(SECRET_PATH, '$1[redacted]').replace(SECRET_PARAM, '$1[redacted]');
}

export function scrubUrl(url: string | undefined): string | undefined {
  return url === undefined ? url : scrubText(url);
}

/** Structured pino logs that never print tokens, passwords or cookies. */
export function loggerOptions(config: Pick<Config, 'logLevel'>): FastifyServerOptions['logger'] {
  return {
    level: config.logLevel,
    hooks: {
      // Messages are built by code we do not own (Fastify's "Route … not found"): scrub them too.
      logMethod(args, method) {
        method.apply(this, args.map((arg) => (typeof arg === 'string' ? scrubText(arg) : arg)) as Parameters<typeof method>);
      },
    },
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]', '*.password', '*.token', 'body.password'],
      censor: '[redacted]',
    },
    serializers: {
      req(request: { method: string; url?: string; hostname?: string; ip?: string }) {
        return { method: request.method, url: scrubUrl(request.url), host: request.hostname, remoteAddress: request.ip };
      },
    },
  };
}
