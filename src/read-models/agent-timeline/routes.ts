import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../http/context.js';
import { defineRoute } from '../../http/routing/define-route.js';
import { orderIdParams } from '../../http/schemas.js';
import { readModelFreshness } from '../checkpoints.js';
import { readYourWrites, readYourWritesQuery, withStaleness } from '../progress/read-your-writes.js';
import { AGENT_TIMELINE } from './projection.js';
import { findTimeline } from './queries.js';

/**
 * An order's whole history for support agents: one entry per event, versions 1..n without a
 * gap. Its freshness is the order's (the last version shown) plus the read model's checkpoint.
 */
export function register(app: FastifyInstance, ctx: AppContext): void {
  defineRoute(app, {
    method: 'GET', url: '/orders/:id/timeline', roles: ['support', 'operator'], params: orderIdParams, query: readYourWritesQuery,
    summary: 'Read an order\'s timeline: every event in version order (agent-timeline read model)',
    description: 'Entries run from version 1 without a gap; an event that arrived before an earlier one waits until the gap is filled. '
      + 'With `minVersion` and `waitMs` (at most 5000), waits until the timeline shows that version; past `waitMs` it answers '
      + 'what it has with `freshness.stale: true`.',
    responses: {
      200: { description: 'The timeline, with the order\'s freshness and the read model\'s checkpoint' },
      404: {
        description: 'No such order; `not-yet-visible` (with Retry-After) when the order exists but is not in the timeline yet',
        problemTypes: ['order-not-found', 'not-yet-visible'],
      },
    },
  }, async ({ caller, params: { id }, query }) => {
    const { row: timeline, stale } = await readYourWrites(ctx, caller, {
      readModel: AGENT_TIMELINE, orderId: id, read: () => findTimeline(ctx.db, id), versionOf: (t) => t.freshness.sourceVersion,
    }, query);
    const checkpoint = await readModelFreshness(ctx.db, AGENT_TIMELINE, ctx.clock());
    return { ...timeline, freshness: withStaleness({ ...timeline.freshness, checkpoint }, stale) };
  });
}
