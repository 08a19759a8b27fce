import type { FastifyInstance } from 'fastify';
import { httpRequestDuration } from './registry.js';

/** Requests no route matched (404, 405, refused early) share one label. */
export const UNMATCHED_ROUTE = 'unmatched';

/**
 * The route's pattern as the API description writes it (`/orders/{id}`), never the URL
 * itself: ids and query strings hold personal data, and every distinct URL would be a series.
 */
export function routeLabel(pattern: string | undefined): string {
  if (!pattern) return UNMATCHED_ROUTE;
  return pattern.replace(/:(\w+)/g, '{$1}');
}

export function statusClass(statusCode: number): string {
  return statusCode >= 100 && statusCode < 600 ? `${Math.floor(statusCode / 100)}xx` : 'other';
}

/** Times every request that reaches a response, by method, route pattern and status class. */
export function registerRequestMetrics(app: FastifyInstance): void {
  app.addHook('onResponse', async (request, reply) => {
    httpRequestDuration.observe(
      { method: request.method, route: routeLabel(request.routeOptions.url), status_class: statusClass(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });
}
