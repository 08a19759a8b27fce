// Wires problem details into Fastify: one content-type policy, one error
// handler, one not-found handler, so every non-2xx response has one shape.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { toClientProblem } from './error-mapping.js';
import { registerJsonBodyParser, type JsonBodyOptions } from '../input/json-body.js';
import { logSafeError } from './log-safe-error.js';
import { PROBLEM_CONTENT_TYPE, ProblemError, internalError } from './problem-error.js';

export interface ProblemHandlingOptions extends JsonBodyOptions {
  /**
   * Methods that some route accepts at a concrete path. With it, a known path asked with
   * another method gets 405 and an Allow header, and OPTIONS answers with Allow.
   */
  allowedMethods?: (path: string) => readonly string[];
}

/**
 * Call on the root instance before registering routes (child plugins inherit
 * the parsers and handlers). Malformed-URL errors never reach setErrorHandler;
 * pass `problemFrameworkErrors(bodyLimit)` as Fastify's `frameworkErrors`
 * option to cover those too.
 */
export function registerProblemHandling(app: FastifyInstance, options: ProblemHandlingOptions): void {
  registerJsonBodyParser(app, options);
  app.setErrorHandler((error: unknown, request, reply) => handleError(error, request, reply, options.bodyLimit));
  app.setNotFoundHandler((request, reply) => answerUnmatched(request, reply, options.allowedMethods));
}

/** For `Fastify({ frameworkErrors })`: bad percent-encoding, over-long params. */
export function problemFrameworkErrors(bodyLimit: number) {
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply): void => {
    handleError(error, request, reply, bodyLimit);
  };
}

function handleError(error: unknown, request: FastifyRequest, reply: FastifyReply, bodyLimit: number): void {
  const problem = toClientProblem(error, bodyLimit);
  if (problem === undefined || problem.status >= 500) {
    // Only the error, never the body; and only its log-safe fields.
    request.log.error({ err: logSafeError(error) }, 'request failed with an unexpected error');
    sendProblem(request, reply, problem ?? internalError());
    return;
  }
  // Status and type are enough to follow 4xx trends; details may name fields
  // but never values, and are not needed in logs.
  request.log.info({ status: problem.status, problemType: problem.type }, 'request rejected');
  sendProblem(request, reply, problem);
}

function answerUnmatched(request: FastifyRequest, reply: FastifyReply, allowedMethods: ProblemHandlingOptions['allowedMethods']): void {
  const allowed = allowedMethods?.(pathOf(request)) ?? [];
  if (allowed.length === 0) return sendProblem(request, reply, routeNotFound(request));
  const allow = [...allowed, 'OPTIONS'].join(', ');
  if (request.method === 'OPTIONS') {
    void reply.code(204).header('allow', allow).send();
    return;
  }
  // TRACE lands here too: no route accepts it, so it is refused like any other method.
  const detail = `${request.method} is not allowed here; allowed: ${allow}`;
  sendProblem(request, reply, new ProblemError({ status: 405, detail, headers: { allow } }));
}

function pathOf(request: FastifyRequest): string {
  return request.url.split('?', 1)[0] ?? '';
}

function routeNotFound(request: FastifyRequest): ProblemError {
  // Path only: the query string is where clients put search terms and tokens.
  const path = pathOf(request);
  const shown = path.length > 200 ? `${path.slice(0, 200)}…` : path;
  return new ProblemError({ status: 404, detail: `No route matches ${request.method} ${shown}` });
}

export function sendProblem(request: FastifyRequest, reply: FastifyReply, problem: ProblemError): void {
  void reply
    .code(problem.status)
    .headers(problem.headers)
    .type(PROBLEM_CONTENT_TYPE)
    // A Buffer, so Fastify does not append "; charset=utf-8" (RFC 8259 JSON
    // types define no charset parameter).
    .send(Buffer.from(JSON.stringify({ ...problem.toJSON(), traceId: request.id })));
}
