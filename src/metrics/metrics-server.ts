import Fastify, { type FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { TokenGrant } from '../config.js';
import { registerAuthentication } from '../http/auth.js';
import { registerNoStore } from '../http/cache-control.js';
import { problemFrameworkErrors, registerProblemHandling } from '../http/problem.js';
import { problemClientErrorHandler } from '../http/problems/client-errors.js';
import { defineRoute } from '../http/routing/define-route.js';
import { createRouteTable } from '../http/routing/route-table.js';
import { metricsRegistry } from './registry.js';

/** GET /metrics takes no body; anything larger than a header-only request is refused. */
const BODY_LIMIT_BYTES = 1024;
const noParameters = z.object({}).strict();

/**
 * The `/metrics` endpoint of a process without the HTTP API (a separately run relay or
 * worker): this process's own registry, behind the same bearer-token check and
 * problem+json errors as the API's. The relay's registry moves its batch sizes and workflow
 * starts, a worker's its per-read-model counters.
 */
export function buildMetricsApp(apiTokens: ReadonlyMap<string, TokenGrant>): FastifyInstance {
  const app = Fastify({ logger: false, bodyLimit: BODY_LIMIT_BYTES, frameworkErrors: problemFrameworkErrors(BODY_LIMIT_BYTES), clientErrorHandler: problemClientErrorHandler });
  const routes = createRouteTable(app);
  registerProblemHandling(app, { bodyLimit: BODY_LIMIT_BYTES, allowedMethods: routes.allowedMethods });
  registerAuthentication(app, apiTokens);
  registerNoStore(app);
  defineRoute(app, {
    method: 'GET', url: '/metrics', roles: ['operator'], query: noParameters,
    summary: 'Prometheus metrics of this process',
    responses: { 200: { description: 'The metrics', contentType: metricsRegistry.contentType } },
  }, async (_input, _request, reply) => {
    void reply.type(metricsRegistry.contentType);
    return metricsRegistry.metrics();
  });
  return app;
}
