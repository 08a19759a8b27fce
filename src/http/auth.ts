import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Role, TokenGrant } from '../config.js';
import { ProblemError } from './problem.js';

export interface Caller {
  /** Stable, non-secret identity of the token: scopes idempotency keys and audit fields. */
  id: string;
  role: Role;
  /** Set for a customer-bound client token: it sees and acts on this customer's orders only. */
  customerId?: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    caller?: Caller;
  }
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/** Compares digests in constant time, so response timing does not reveal a token's prefix. */
export function createAuthenticator(tokens: ReadonlyMap<string, TokenGrant>) {
  const known = [...tokens].map(([token, grant]) => ({ digest: digest(token), ...grant }));
  return (request: FastifyRequest): Caller => {
    const header = request.headers.authorization;
    const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    if (!match) throw unauthorized('a bearer token is required');
    const presented = digest(match[1]!);
    const entry = known.find((k) => timingSafeEqual(k.digest, presented));
    if (!entry) throw unauthorized('the bearer token is not valid');
    const id = `${entry.role}:${presented.toString('hex').slice(0, 16)}`;
    return entry.customerId === undefined ? { id, role: entry.role } : { id, role: entry.role, customerId: entry.customerId };
  };
}

function unauthorized(detail: string): ProblemError {
  return new ProblemError({ status: 401, title: 'Unauthorized', detail, headers: { 'www-authenticate': 'Bearer' } });
}

export function requireRole(caller: Caller, allowed: readonly Role[]): void {
  if (!allowed.includes(caller.role)) {
    throw new ProblemError({
      status: 403,
      title: 'Forbidden',
      detail: `this endpoint needs one of the roles: ${allowed.join(', ')}`,
    });
  }
}

/**
 * Checks the caller on `onRequest`, before Fastify reads the body: without a valid token
 * or with the wrong role, a request gets 401/403 whatever its body holds. Routes declared
 * with defineRoute carry their roles; routes without any (health, the API description,
 * unknown paths) are public.
 */
export function registerAuthentication(app: FastifyInstance, tokens: ReadonlyMap<string, TokenGrant>): void {
  const authenticate = createAuthenticator(tokens);
  app.addHook('onRequest', async (request) => {
    const roles = request.routeOptions.config.api?.roles;
    if (roles === undefined || roles === 'public') return;
    const caller = authenticate(request);
    requireRole(caller, roles);
    request.caller = caller;
  });
}
