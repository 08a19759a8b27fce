import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../http/context.js';
import { defineRoute } from '../../http/routing/define-route.js';
import { readModelFreshness } from '../checkpoints.js';
import { OPS_DASHBOARD } from './projection.js';
import { byStatus, perMinute, stuckOrders } from './queries.js';
import { dashboardQuery, stuckOrdersQuery } from './query-schemas.js';

/** Operator views over the maintained aggregates: no request scans the orders. */
export function register(app: FastifyInstance, ctx: AppContext): void {
  defineRoute(app, {
    method: 'GET', url: '/ops/dashboard', roles: ['operator'], query: dashboardQuery(ctx.clock),
    summary: 'Orders by status, region and payment provider, and counted events per minute (ops-dashboard read model)',
    description: 'byStatus is the current snapshot; perMinute lists the minutes starting in [from, to) (default: the last hour) that saw an order placed, paid, shipped, cancelled or refunded. Both are narrowed by region and paymentProvider.',
    responses: { 200: { description: 'The counts, with the read model\'s checkpoint as freshness' } },
  }, async ({ query }) => {
    const [statuses, minutes, freshness] = await Promise.all([
      byStatus(ctx.db, query),
      perMinute(ctx.db, query, query),
      readModelFreshness(ctx.db, OPS_DASHBOARD, ctx.clock()),
    ]);
    return { byStatus: statuses, perMinute: minutes, freshness };
  });

  defineRoute(app, {
    method: 'GET', url: '/ops/stuck-orders', roles: ['operator'], query: stuckOrdersQuery,
    summary: 'Orders waiting in placed, authorized or shipped for longer than olderThan, grouped (ops-dashboard read model)',
    description: 'olderThan is a duration such as 90s, 15m or 2h (default 15m, at most 720h). Each group lists up to 100 ids, the longest waiting first; count is the whole group.',
    responses: { 200: { description: 'Groups by region, payment provider and status, with the read model\'s checkpoint as freshness' } },
  }, async ({ query }) => {
    const now = ctx.clock();
    const [groups, freshness] = await Promise.all([
      stuckOrders(ctx.db, new Date(now.getTime() - query.olderThan), query),
      readModelFreshness(ctx.db, OPS_DASHBOARD, now),
    ]);
    return { groups, freshness };
  });
}
