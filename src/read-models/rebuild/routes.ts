import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ProblemError } from '../../http/problems/problem-error.js';
import { defineRoute } from '../../http/routing/define-route.js';
import type { ReadModel } from '../read-model.js';
import { readModels } from '../registry.js';
import { canRebuild } from './shadow.js';
import type { RebuildStart } from './start.js';

/** Starts rebuilds; the API has one when it knows where Temporal is. */
export interface RebuildStarter {
  start(readModel: string): Promise<RebuildStart>;
}

const params = z.strictObject({ name: z.string().min(1).max(100) });
/** The request names everything in its path: no query, no body. */
const query = z.strictObject({});

function refuseBody(body: unknown): void {
  if (body !== undefined && body !== null && body !== '') {
    throw new ProblemError({ status: 400, type: 'body-not-allowed', detail: 'This request takes no body' });
  }
}

function rebuildable(name: string, models: readonly ReadModel[]): ReadModel {
  const model = models.find((m) => m.name === name);
  if (!model) throw new ProblemError({ status: 404, type: 'read-model-not-found', detail: 'No read model has this name' });
  if (!canRebuild(model)) {
    throw new ProblemError({ status: 409, type: 'read-model-not-rebuildable', detail: 'This read model cannot be rebuilt from the log yet' });
  }
  return model;
}

export function registerRebuildRoutes(app: FastifyInstance, starter: RebuildStarter | undefined, models: readonly ReadModel[] = readModels): void {
  defineRoute(app, {
    method: 'POST', url: '/ops/read-models/:name/rebuild', roles: ['operator'], params, query,
    summary: 'Rebuild a read model from the outbox log, swapping it in when caught up',
    description: 'Starts the rebuild workflow and answers its id; progress is its `progress` query. '
      + 'PostgreSQL models are rebuilt into a shadow schema and swapped in by renaming tables; '
      + 'support search into a new index, swapped in by moving its alias. '
      + 'While a rebuild of the model runs, another is refused with 409 naming the running one.',
    responses: {
      202: { description: 'The rebuild workflow started: `{ workflowId }`' },
      400: { description: 'A body or a query parameter was sent', problemTypes: ['body-not-allowed'] },
      404: { description: 'No read model has this name', problemTypes: ['read-model-not-found'] },
      409: { description: 'A rebuild of this model is running, or the model declares nothing a rebuild can replace', problemTypes: ['rebuild-in-progress', 'read-model-not-rebuildable'] },
      503: { description: 'This API process cannot reach Temporal', problemTypes: ['rebuild-unavailable'] },
    },
  }, async ({ params: { name } }, request, reply) => {
    refuseBody(request.body);
    const model = rebuildable(name, models);
    if (!starter) throw new ProblemError({ status: 503, type: 'rebuild-unavailable', detail: 'This API process does not start workflows' });
    const outcome = await starter.start(model.name);
    if (!outcome.started) {
      throw new ProblemError({ status: 409, type: 'rebuild-in-progress', detail: 'A rebuild of this read model is running', extensions: { workflowId: outcome.workflowId } });
    }
    return reply.code(202).send({ workflowId: outcome.workflowId });
  });
}
