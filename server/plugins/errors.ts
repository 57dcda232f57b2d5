import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';

/** One JSON error shape for every route; details of server faults stay in the log. */
export function errorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const status = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500;
  if (status >= 500) {
    request.log.error({ err: error }, 'request failed');
    void reply.code(status).send({ error: 'internal server error', statusCode: status });
    return;
  }
  const message = error.validation ? `invalid request: ${error.message}` : error.message;
  void reply.code(status).send({ error: message, statusCode: status, ...(error.code ? { code: error.code } : {}) });
}
