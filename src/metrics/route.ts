import type { FastifyInstance } from 'fastify';
import { Registry } from 'prom-client';
import { z } from 'zod';
import type { AppContext } from '../http/context.js';
import { defineRoute } from '../http/routing/define-route.js';
import { readModelNames } from '../read-models/registry.js';
import { metricsRegistry } from './registry.js';
import { readStoreGauges } from './store-gauges.js';

const noParameters = z.object({}).strict();
const METRICS_CONTENT_TYPE = 'text/plain; version=0.0.4';

/** GET /metrics: this process's metrics in the Prometheus text format, for operator tokens. */
export function registerMetricsRoute(app: FastifyInstance, ctx: AppContext): void {
  defineRoute(app, {
    method: 'GET', url: '/metrics', roles: ['operator'], query: noParameters,
    summary: 'Prometheus metrics of this process',
    description: 'Text exposition format 0.0.4 (`text/plain; version=0.0.4`). Backlog and read model lag are read from PostgreSQL at each scrape.',
    responses: { 200: { description: 'The metrics', contentType: METRICS_CONTENT_TYPE } },
  }, async (_input, _request, reply) => {
    const stores = await readStoreGauges(ctx.db, readModelNames());
    const registry = Registry.merge([metricsRegistry, stores]);
    void reply.type(registry.contentType);
    return registry.metrics();
  });
}
