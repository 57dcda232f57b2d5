import { sql } from 'kysely';
import type { FastifyInstance } from 'fastify';

export async function healthRoutes(app: FastifyInstance): Promise<void> {
  app.get('/healthz', async () => ({ status: 'ok' }));
  // Ready means: the database answers and the server can write to it (edits are accepted).
  app.get('/readyz', async (_request, reply) => {
    try {
      await sql`SELECT 1`.execute(app.sql.db);
    } catch (error) {
      return reply.code(503).send({ status: 'unavailable', error: (error as Error).message });
    }
    const failure = app.collab.storageFailure;
    if (failure) {
      return reply.code(503).send({ status: 'unavailable', error: `cannot store edits: ${failure.reason}`, since: new Date(failure.since).toISOString(), refused: failure.refused });
    }
    return { status: 'ready', ...app.collab.stats() };
  });
}
