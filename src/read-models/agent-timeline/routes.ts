import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../http/context.js';
import { strictObject } from '../../http/input/fields.js';
import { ProblemError } from '../../http/problem.js';
import { defineRoute } from '../../http/routing/define-route.js';
import { orderIdParams } from '../../http/schemas.js';
import { readModelFreshness } from '../checkpoints.js';
import { AGENT_TIMELINE } from './projection.js';
import { findTimeline } from './queries.js';

/** No parameters yet; unknown ones are refused rather than ignored. */
const timelineQuery = strictObject({});

/**
 * An order's whole history for support agents: one entry per event, versions 1..n without a
 * gap. Its freshness is the order's (the last version shown) plus the read model's checkpoint.
 */
export function register(app: FastifyInstance, ctx: AppContext): void {
  defineRoute(app, {
    method: 'GET', url: '/orders/:id/timeline', roles: ['support', 'operator'], params: orderIdParams, query: timelineQuery,
    summary: 'Read an order\'s timeline: every event in version order (agent-timeline read model)',
    description: 'Entries run from version 1 without a gap; an event that arrived before an earlier one waits until the gap is filled.',
    responses: {
      200: { description: 'The timeline, with the order\'s freshness and the read model\'s checkpoint' },
      404: { description: 'No such order in the timeline (yet)', problemTypes: ['order-not-found'] },
    },
  }, async ({ params: { id } }) => {
    const [timeline, checkpoint] = await Promise.all([
      findTimeline(ctx.db, id),
      readModelFreshness(ctx.db, AGENT_TIMELINE, ctx.clock()),
    ]);
    if (!timeline) throw orderNotInTimeline();
    return { ...timeline, freshness: { ...timeline.freshness, checkpoint } };
  });
}

function orderNotInTimeline(): ProblemError {
  return new ProblemError({
    status: 404, title: 'Order not found', type: 'order-not-found',
    detail: 'no such order in the timeline; a just-placed order appears once it is projected',
  });
}
