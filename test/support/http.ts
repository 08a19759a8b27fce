import { randomUUID } from 'node:crypto';
import type { Role } from '../../src/config.js';
import { TOKENS } from './test-runtime.js';

export interface HttpResult<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

export interface RequestOptions {
  role?: Role | null;
  /** A bearer token to send instead of the role's test token. */
  token?: string;
  body?: unknown;
  /** Sent verbatim instead of JSON-encoding `body`. */
  rawBody?: string;
  headers?: Record<string, string>;
  /** An Idempotency-Key; a fresh one per call unless given, `null` sends none. */
  idempotencyKey?: string | null;
}

/** A real HTTP request against the test runtime, as any client would make it. */
export async function call<T = any>(baseUrl: string, method: string, path: string, options: RequestOptions = {}): Promise<HttpResult<T>> {
  const headers: Record<string, string> = { ...options.headers };
  const role = options.role === undefined ? 'client' : options.role;
  const token = options.token ?? (role ? TOKENS[role] : null);
  if (token) headers.authorization = `Bearer ${token}`;
  const hasBody = options.body !== undefined || options.rawBody !== undefined;
  if (hasBody && !headers['content-type']) headers['content-type'] = 'application/json';
  if (method !== 'GET' && options.idempotencyKey !== null) headers['idempotency-key'] = options.idempotencyKey ?? randomUUID();
  const response = await fetch(new URL(path, baseUrl), {
    method,
    headers,
    body: options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
  });
  const text = await response.text();
  const contentType = response.headers.get('content-type') ?? '';
  const body = text && contentType.includes('json') ? JSON.parse(text) : text;
  return { status: response.status, headers: response.headers, body };
}
