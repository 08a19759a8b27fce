// RFC 9457 problem details. Every error the API returns is a ProblemError so
// that clients get one shape, and so the error handler can tell "meant for the
// client" (this class) from "bug" (anything else, answered with a bare 500).
import { STATUS_CODES } from 'node:http';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';
/** Base of every `type` URI: `${PROBLEM_TYPE_BASE}<slug>`, one slug per kind of problem. */
export const PROBLEM_TYPE_BASE = 'https://problems.cqrs-orders.dev/';

export interface FieldError {
  /** Dotted/bracket path such as `items[0].quantity`; "" means the whole input. */
  field: string;
  detail: string;
}

export interface ProblemInit {
  status: number;
  detail: string;
  /** Defaults to the HTTP reason phrase for `status`. */
  title?: string;
  /**
   * A slug appended to PROBLEM_TYPE_BASE (e.g. "order-not-found"), or an
   * absolute URI used as is. Defaults to the kebab-cased title.
   */
  type?: string;
  /** Extra members of the problem object (RFC 9457 §3.2), e.g. `errors`. */
  extensions?: Record<string, unknown>;
  /** Response headers the problem needs, e.g. WWW-Authenticate for 401. */
  headers?: Record<string, string>;
}

// Extensions must not be able to overwrite the standard members.
const RESERVED_MEMBERS = new Set(['type', 'title', 'status', 'detail', 'instance', 'traceId']);

export class ProblemError extends Error {
  override readonly name = 'ProblemError';
  readonly status: number;
  readonly title: string;
  readonly detail: string;
  readonly type: string;
  readonly extensions: Readonly<Record<string, unknown>>;
  readonly headers: Readonly<Record<string, string>>;

  constructor(init: ProblemInit) {
    super(init.detail);
    this.status = init.status;
    this.title = init.title ?? STATUS_CODES[init.status] ?? 'Error';
    this.detail = init.detail;
    this.type = toTypeUri(init.type ?? toSlug(this.title));
    this.extensions = init.extensions ?? {};
    this.headers = init.headers ?? {};
  }

  /** Fastify and other middleware look for `statusCode`; keep them in agreement. */
  get statusCode(): number {
    return this.status;
  }

  /**
   * The problem object. Stable for a given problem (no per-request data), so
   * it can be stored for idempotent replays; the sender adds `traceId`.
   */
  toJSON(): Record<string, unknown> {
    const body: Record<string, unknown> = { type: this.type, title: this.title, status: this.status, detail: this.detail };
    for (const [key, value] of Object.entries(this.extensions)) {
      if (!RESERVED_MEMBERS.has(key)) body[key] = value;
    }
    return body;
  }
}

function toTypeUri(type: string): string {
  return /^[a-z][a-z0-9+.-]*:/i.test(type) ? type : PROBLEM_TYPE_BASE + type;
}

function toSlug(title: string): string {
  return title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

export function badRequest(detail: string, errors?: FieldError[]): ProblemError {
  return new ProblemError({ status: 400, detail, extensions: errors ? { errors } : {} });
}

/** `what` names the resource, e.g. `notFound('order 6f1c…')` → "order 6f1c… was not found". */
export function notFound(what: string): ProblemError {
  return new ProblemError({ status: 404, detail: `${what} was not found` });
}

export function conflict(detail: string, extensions?: Record<string, unknown>): ProblemError {
  return new ProblemError({ status: 409, detail, extensions });
}

export function unprocessable(detail: string, extensions?: Record<string, unknown>): ProblemError {
  // RFC 9110 renamed 422 "Unprocessable Content"; Node still says "Entity".
  return new ProblemError({ status: 422, title: 'Unprocessable Content', detail, extensions });
}

export function preconditionFailed(detail: string, extensions?: Record<string, unknown>): ProblemError {
  return new ProblemError({ status: 412, detail, extensions });
}

/** RFC 9110 requires a challenge on every 401; the API uses bearer tokens. */
export function unauthorized(
  detail = 'Authentication is required',
  headers: Record<string, string> = { 'www-authenticate': 'Bearer' },
): ProblemError {
  return new ProblemError({ status: 401, detail, headers });
}

export function forbidden(detail = 'You are not allowed to perform this action'): ProblemError {
  return new ProblemError({ status: 403, detail });
}

export function payloadTooLarge(limitBytes?: number): ProblemError {
  const detail = limitBytes === undefined
    ? 'The request body is too large'
    : `The request body exceeds the limit of ${limitBytes} bytes`;
  return new ProblemError({ status: 413, title: 'Content Too Large', type: 'payload-too-large', detail });
}

export function unsupportedMediaType(detail = 'Request bodies must be sent as Content-Type: application/json'): ProblemError {
  return new ProblemError({ status: 415, detail });
}

/** The only 500 body the API ever sends: fixed text, so nothing internal can leak. */
export function internalError(): ProblemError {
  return new ProblemError({ status: 500, title: 'Internal Server Error', detail: 'An unexpected error occurred' });
}
