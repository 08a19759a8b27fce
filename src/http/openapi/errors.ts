// Which problems an operation can answer with. The shell's own (validation, auth, body
// limits, timeouts, bugs) follow from how the route is declared; the route adds its
// business refusals in its `responses`.
import { STATUS_CODES } from 'node:http';
import type { ResponseSpec, RouteSpec } from '../routing/define-route.js';
import { headerRefs } from './components.js';

type ProblemCatalog = Map<number, { description: string; types: Set<string>; headers: Set<string> }>;

function add(catalog: ProblemCatalog, status: number, types: readonly string[], description?: string, headers: string[] = []): void {
  const entry = catalog.get(status) ?? { description: description ?? STATUS_CODES[status] ?? 'Error', types: new Set(), headers: new Set() };
  if (description) entry.description = description;
  for (const type of types) entry.types.add(type);
  for (const header of headers) entry.headers.add(header);
  catalog.set(status, entry);
}

function shellProblems(spec: RouteSpec, catalog: ProblemCatalog): void {
  const validates = spec.params || spec.query || spec.body;
  if (validates) add(catalog, 400, ['validation-failed'], 'The request is invalid; `errors` names every failing field');
  if (spec.headers?.['idempotency-key']) add(catalog, 400, ['idempotency-key-required', 'invalid-idempotency-key']);
  if (spec.headers?.['if-match']) {
    add(catalog, 400, ['invalid-if-match']);
    add(catalog, 412, ['version-mismatch'], 'Precondition failed');
  }
  if (spec.headers?.['if-none-match']) add(catalog, 400, ['invalid-if-none-match']);
  if (spec.roles !== 'public') {
    add(catalog, 401, ['unauthorized'], 'No valid bearer token (checked before the body is read)', ['WWWAuthenticate']);
    add(catalog, 403, ['forbidden'], 'The token\'s role may not call this operation (checked before the body is read)');
  }
  if (spec.body) {
    add(catalog, 400, ['malformed-json']);
    add(catalog, 413, ['payload-too-large'], 'The body exceeds 64 KiB');
    add(catalog, 415, ['unsupported-media-type'], 'The body is not application/json in UTF-8');
  }
  if (spec.headers?.['idempotency-key']) {
    add(catalog, 409, ['request-in-progress'], undefined, ['RetryAfter']);
    add(catalog, 422, ['idempotency-key-reused']);
    add(catalog, 503, ['too-much-contention'], 'Conflicting concurrent commands won every re-run; nothing changed', ['RetryAfter']);
  }
  add(catalog, 408, ['request-timeout'], 'The request did not arrive in time; the connection is closed');
  // Any route may meet a database that is restarting.
  const contention = catalog.get(503)?.description;
  const unreachable = 'The database cannot be reached right now; retry after Retry-After';
  add(catalog, 503, ['service-unavailable'], contention ? `${contention}. Or: ${unreachable}` : unreachable, ['RetryAfter']);
  add(catalog, 500, ['internal-server-error'], 'An unexpected error; the body never says more');
}

function routeProblems(responses: Record<number, ResponseSpec>, catalog: ProblemCatalog): void {
  for (const [status, response] of Object.entries(responses)) {
    if (Number(status) >= 400) add(catalog, Number(status), response.problemTypes ?? [], response.description);
  }
}

/** The problem+json responses of one operation, keyed by status. */
export function problemResponses(spec: RouteSpec): Record<string, unknown> {
  const catalog: ProblemCatalog = new Map();
  shellProblems(spec, catalog);
  routeProblems(spec.responses, catalog);
  // Public routes may be cached; all others are no-store, their errors included.
  const always = spec.roles === 'public' ? [] : ['CacheControl'];
  const responses: Record<string, unknown> = {};
  for (const [status, { description, types, headers }] of [...catalog].sort(([a], [b]) => a - b)) {
    responses[String(status)] = {
      description,
      'x-problem-types': [...types],
      headers: headerRefs([...always, ...headers]),
      content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
    };
  }
  return responses;
}
