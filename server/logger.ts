import type { FastifyServerOptions } from 'fastify';
import type { Config } from './config.js';

/** Query parameters that carry secrets; their values never reach a log line. */
const SECRET_PARAMS = ['token', 'invite', 'password', 'key'];

/** Paths whose last segment is a secret: a member's calendar feed, /api/calendar/<token>.ics. */
const SECRET_PATH = /^(\/api\/calendar\/)[^/?]+/;

export function scrubUrl(url: string | undefined): string | undefined {
  if (url && SECRET_PATH.test(url)) url = url.replace(SECRET_PATH, '$1[redacted]');
  if (!url || !url.includes('?')) return url;
  const [path, query] = url.split('?', 2) as [string, string];
  const params = new URLSearchParams(query);
  for (const name of SECRET_PARAMS) if (params.has(name)) params.set(name, '[redacted]');
  return `${path}?${params.toString()}`;
}

/** Structured pino logs that never print tokens, passwords or cookies. */
export function loggerOptions(config: Pick<Config, 'logLevel'>): FastifyServerOptions['logger'] {
  return {
    level: config.logLevel,
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
