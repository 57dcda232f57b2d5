import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { HttpError } from '../http-errors.js';

/** SQLite errors that mean "cannot write now", not "bug": a full disk, a read-only or busy file. */
const STORAGE_UNAVAILABLE = /^SQLITE_(FULL|READONLY|IOERR|CANTOPEN|BUSY)/;

/** One JSON error shape for every route; details of server faults stay in the log. */
export function errorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  if (typeof error.code === 'string' && STORAGE_UNAVAILABLE.test(error.code)) {
    request.log.error({ err: error.message, code: error.code }, 'storage unavailable');
    void reply.code(503).header('retry-after', '5').send({ error: 'the server cannot save right now; try again shortly', statusCode: 503 });
    return;
  }
  const status = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500;
  // A fault a route reported on purpose (HttpError) says what it is; any other stays in the log.
  if (status >= 500 && !(error instanceof HttpError)) {
    request.log.error({ err: error }, 'request failed');
    void reply.code(status).send({ error: 'internal server error', statusCode: status });
    return;
  }
  const message = error.validation ? `invalid request: ${error.message}` : error.message;
  void reply.code(status).send({ error: message, statusCode: status, ...(error.code ? { code: error.code } : {}) });
}
