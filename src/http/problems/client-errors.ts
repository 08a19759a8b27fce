// Requests node's HTTP parser refuses before Fastify ever sees them: a malformed request
// line, an unknown method, Content-Length with Transfer-Encoding, a duplicate
// Content-Length, a NUL in a header, oversized headers, a request that took too long.
// They get the same problem+json shape as every other error, then the socket closes:
// after a framing error nothing later on that connection can be trusted.
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyBaseLogger } from 'fastify';
import { PROBLEM_CONTENT_TYPE, ProblemError } from './problem-error.js';

interface ConnectionError extends Error {
  code?: string;
}

function problemFor(error: ConnectionError): ProblemError {
  switch (error.code) {
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return new ProblemError({ status: 408, type: 'request-timeout', detail: 'The request was not received in time' });
    case 'HPE_HEADER_OVERFLOW':
      return new ProblemError({ status: 431, type: 'headers-too-large', detail: 'The request headers are too large' });
    default:
      return new ProblemError({ status: 400, type: 'malformed-request', detail: 'The request is not valid HTTP/1.1' });
  }
}

export function rawProblemResponse(problem: ProblemError): string {
  const body = JSON.stringify(problem.toJSON());
  return [
    `HTTP/1.1 ${problem.status} ${STATUS_CODES[problem.status] ?? 'Error'}`,
    `Content-Type: ${PROBLEM_CONTENT_TYPE}`,
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Cache-Control: no-store',
    'Connection: close',
    '',
    body,
  ].join('\r\n');
}

/** For `Fastify({ clientErrorHandler })`, bound to the Fastify instance. */
export function problemClientErrorHandler(this: { log: FastifyBaseLogger }, error: ConnectionError, socket: Socket): void {
  // A reset connection has no one left to answer.
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const problem = problemFor(error);
  // The code names the parser rule; the request itself never reaches the log.
  this.log.info({ status: problem.status, code: error.code }, 'connection refused by the HTTP parser');
  // Like node's own handler: once a response has started on this socket, it cannot get another.
  const pending = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (socket.writable && !pending?.headersSent) socket.write(rawProblemResponse(problem));
  socket.destroySoon();
}
