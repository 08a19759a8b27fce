import type { FastifyRequest } from 'fastify';
import { ProblemError } from './problem.js';

/**
 * Reads `If-Match` as the expected order version. Absent or `*` means "any version": the
 * command still serializes behind the order's row lock.
 */
export function expectedVersion(request: FastifyRequest): number | undefined {
  const header = request.headers['if-match'];
  if (header === undefined || header.trim() === '*') return undefined;
  const match = /^\s*"(\d{1,9})"\s*$/.exec(header);
  if (!match) {
    throw new ProblemError({ status: 400, title: 'Invalid If-Match', detail: 'If-Match must be an ETag such as "3", as returned by the API' });
  }
  return Number(match[1]);
}
