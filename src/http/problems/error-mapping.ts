// Decides what the client is told about an error. Anything not recognised
// here is treated as a bug: the caller answers 500 with fixed text, so stack
// traces, SQL and driver messages can never reach a response body.
import { STATUS_CODES } from 'node:http';
import { z } from 'zod';
import { isDatabaseUnavailable } from '../../db/unavailable.js';
import { isSearchClientError, isSearchUnavailable } from '../../search/unavailable.js';
import { JsonInputError } from '../input/json-errors.js';
import { ProblemError, payloadTooLarge, unsupportedMediaType } from './problem-error.js';
import { zodProblem } from './zod-problem.js';

interface ErrorLike {
  code?: unknown;
  statusCode?: unknown;
  expose?: unknown;
  message?: unknown;
}

// Fastify's own messages are generic, but ours say what to fix.
const FASTIFY_PROBLEMS: Record<string, (bodyLimit: number) => ProblemError> = {
  FST_ERR_CTP_BODY_TOO_LARGE: (limit) => payloadTooLarge(limit),
  FST_ERR_CTP_INVALID_MEDIA_TYPE: () => unsupportedMediaType(),
  FST_ERR_CTP_EMPTY_JSON_BODY: () => invalidJson('The request body is empty; a JSON value is required'),
  FST_ERR_CTP_INVALID_JSON_BODY: () => invalidJson('The request body is not valid JSON'),
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: () =>
    new ProblemError({ status: 400, detail: 'The Content-Length header does not match the size of the body' }),
  FST_ERR_BAD_URL: () =>
    new ProblemError({ status: 400, detail: 'The URL contains malformed percent-encoding' }),
  FST_ERR_MAX_PARAM_LENGTH: () =>
    new ProblemError({ status: 414, detail: 'A path parameter in the URL is too long' }),
};

export function invalidJson(detail: string, pointer?: string): ProblemError {
  return new ProblemError({
    status: 400,
    title: 'Malformed JSON',
    type: 'malformed-json',
    detail,
    extensions: pointer === undefined ? {} : { pointer },
  });
}

export function jsonInputProblem(error: JsonInputError): ProblemError {
  const where = error.pointer === '' ? 'the document root' : error.pointer;
  return invalidJson(`Invalid JSON body at ${where}: ${error.detail}`, error.pointer);
}

/** Seconds a client should wait: PostgreSQL restarts or fails over within a few. */
export const UNAVAILABLE_RETRY_AFTER_SECONDS = 2;

/** The store a request could not reach, named in the answer so that an operator knows where to look. */
export type UnavailableStore = 'database' | 'search';

const UNAVAILABLE_DETAIL: Record<UnavailableStore, string> = {
  database: 'the database cannot be reached right now; retry after the Retry-After delay with the same Idempotency-Key',
  search: 'the search store cannot be reached right now; retry after the Retry-After delay',
};

/**
 * A lost or refused connection is the server's state, not a bug of the request. A command cut
 * off from the database this way either committed whole or not at all; the same
 * Idempotency-Key finds out which without doing it twice. Searches change nothing.
 */
export function serviceUnavailable(store: UnavailableStore = 'database'): ProblemError {
  return new ProblemError({
    status: 503, type: 'service-unavailable', title: 'Service unavailable',
    detail: UNAVAILABLE_DETAIL[store],
    headers: { 'retry-after': String(UNAVAILABLE_RETRY_AFTER_SECONDS) },
  });
}

/** The problem to send for `error`, or undefined when it must become a 500. */
export function toClientProblem(error: unknown, bodyLimit: number): ProblemError | undefined {
  if (error instanceof ProblemError) return error;
  if (error instanceof z.core.$ZodError) return zodProblem(error);
  if (error instanceof JsonInputError) return jsonInputProblem(error);
  if (typeof error !== 'object' || error === null) return undefined;
  if (isDatabaseUnavailable(error)) return serviceUnavailable('database');
  // The API builds every OpenSearch request itself, so an OpenSearch 4xx is never the client's
  // fault: it is either unavailability (503) or a bug (500), never passed on by status code.
  if (isSearchClientError(error)) return isSearchUnavailable(error) ? serviceUnavailable('search') : undefined;
  const { code, statusCode, expose, message } = error as ErrorLike;
  const known = typeof code === 'string' ? FASTIFY_PROBLEMS[code] : undefined;
  if (known) return known(bodyLimit);
  if (typeof statusCode !== 'number' || statusCode < 400 || statusCode > 499 || !Number.isInteger(statusCode)) {
    return undefined;
  }
  // Only framework errors and http-errors style `expose` errors have messages
  // written for clients; other 4xx errors get the reason phrase.
  const safe = (typeof code === 'string' && code.startsWith('FST_')) || expose === true;
  const detail = safe && typeof message === 'string' ? message : (STATUS_CODES[statusCode] ?? 'Client error');
  return new ProblemError({ status: statusCode, detail });
}
