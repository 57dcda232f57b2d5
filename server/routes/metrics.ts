import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Metrics } from '../metrics.js';

/** Constant-time comparison, so the token cannot be guessed a byte at a time. */
function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * GET /metrics in the Prometheus text format. Not behind login (scrapers have no account), but
 * METRICS_TOKEN can require `Authorization: Bearer <token>`; METRICS=false leaves it out (404).
 */
export function metricsRoutes(metrics: Metrics) {
  return async (app: FastifyInstance): Promise<void> => {
    const token = app.config.metricsToken;
    app.get('/metrics', { schema: { hide: true } }, async (request, reply) => {
      if (token !== null) {
        const header = request.headers.authorization ?? '';
        const given = header.startsWith('Bearer ') ? header.slice(7) : '';
        if (!sameToken(given, token)) {
          return reply.code(401).header('WWW-Authenticate', 'Bearer realm="metrics"').send({ error: 'metrics need the bearer token', statusCode: 401 });
        }
      }
      reply.header('Content-Type', metrics.registry.contentType);
      reply.header('Cache-Control', 'no-store');
      return metrics.registry.metrics();
    });
  };
}
