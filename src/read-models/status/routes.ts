import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../http/context.js';
import { strictObject } from '../../http/input/fields.js';
import { defineRoute } from '../../http/routing/define-route.js';
import { readModels } from '../registry.js';
import type { TemporalView } from './failed-batches.js';
import { readModelsStatus } from './report.js';

/** GET /ops/read-models: how each read model is doing, for operators. */
export function registerReadModelStatus(app: FastifyInstance, ctx: AppContext, temporal: TemporalView | undefined): void {
  defineRoute(app, {
    method: 'GET', url: '/ops/read-models', roles: ['operator'], query: strictObject({}),
    summary: 'Per read model: checkpoint and lag, events applied, retries, held orders, failed batches, last error, rebuild',
    description: 'Reads PostgreSQL and Temporal only, so it answers while a read model\'s store is down. position, lagEvents and lagMs are the read model\'s checkpoint as in freshness. failedBatches lists recent failed batch workflows (Temporal visibility) in which the model\'s activity failed, with links into the Temporal UI; it is null, and temporal is "unreachable", when Temporal does not answer within 3 s.',
    responses: { 200: { description: 'One entry per registered read model' } },
  }, async () => readModelsStatus(ctx.db, readModels, temporal, ctx.clock()));
}
