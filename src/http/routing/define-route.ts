import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { Role } from '../../config.js';
import type { Caller } from '../auth.js';
import { internalError } from '../problems/problem-error.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
/** Request headers the API gives meaning to; each is described once in the API description. */
export type RequestHeader = 'idempotency-key' | 'if-match' | 'if-none-match';
/** Response headers a route may set on success. */
export type ResponseHeader = 'etag' | 'location' | 'idempotent-replayed';

export interface ResponseSpec {
  description: string;
  headers?: readonly ResponseHeader[];
  /** For error statuses: the problem `type` slugs this route may answer with. */
  problemTypes?: readonly string[];
  /** Media type of a success body that is not JSON (the metrics text format). */
  contentType?: string;
}

type Schema = z.ZodType | undefined;
type Roles = 'public' | readonly Role[];
type Output<S extends Schema> = S extends z.ZodType ? z.output<S> : undefined;

/**
 * One route, declared once: the same schemas validate the request and describe it in
 * GET /openapi.json, and the roles are checked before the body is read.
 */
export interface RouteSpec<P extends Schema = Schema, Q extends Schema = Schema, B extends Schema = Schema, R extends Roles = Roles> {
  method: HttpMethod;
  /** Fastify syntax: `/orders/:id`. */
  url: string;
  summary: string;
  description?: string;
  /** Who may call it; `public` routes carry no personal data and need no token. */
  roles: R;
  params?: P;
  query?: Q;
  body?: B;
  /** Meaningful request headers, with whether each is required. */
  headers?: Partial<Record<RequestHeader, 'required' | 'optional'>>;
  /** Status → meaning; statuses of 400 and up are problem+json. */
  responses: Record<number, ResponseSpec>;
}

export interface RouteInput<P extends Schema, Q extends Schema, B extends Schema, R extends Roles> {
  /** The authenticated caller; public routes have none. */
  caller: R extends 'public' ? undefined : Caller;
  params: Output<P>;
  query: Output<Q>;
  body: Output<B>;
}

export type RouteHandler<P extends Schema, Q extends Schema, B extends Schema, R extends Roles> = (
  input: RouteInput<P, Q, B, R>,
  request: FastifyRequest,
  reply: FastifyReply,
) => Promise<unknown>;

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Set by defineRoute; read by the authentication hook and the API description. */
    api?: RouteSpec;
  }
}

function parse<S extends Schema>(schema: S | undefined, value: unknown): Output<S> {
  return (schema ? schema.parse(value) : undefined) as Output<S>;
}

/** Registers the route on `app`; any module may call it, before the app is ready. */
export function defineRoute<
  P extends Schema = undefined,
  Q extends Schema = undefined,
  B extends Schema = undefined,
  R extends Roles = Roles,
>(app: FastifyInstance, spec: RouteSpec<P, Q, B, R>, handler: RouteHandler<P, Q, B, R>): void {
  app.route({
    method: spec.method,
    url: spec.url,
    config: { api: spec as RouteSpec },
    handler: async (request, reply) => {
      const caller = request.caller;
      // The authentication hook guarantees a caller on every non-public route.
      if (spec.roles !== 'public' && !caller) throw internalError();
      const params = parse(spec.params, request.params);
      const query = parse(spec.query, request.query);
      const body = parse(spec.body, request.body);
      return handler({ caller: caller as RouteInput<P, Q, B, R>['caller'], params, query, body }, request, reply);
    },
  });
}
