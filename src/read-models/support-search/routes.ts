import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../http/context.js';
import { defineRoute } from '../../http/routing/define-route.js';
import { supportSearchQuery } from '../../http/schemas.js';
import { readModelFreshness } from '../checkpoints.js';
import { SUPPORT_SEARCH } from './projection.js';
import { searchOrders } from './queries.js';
import { supportSearchIndexNames } from './storage.js';

/**
 * Support search over the OpenSearch read model. The answer says how far the whole index is
 * behind the write side; each hit also carries its own document's freshness.
 */
export function register(app: FastifyInstance, ctx: AppContext): void {
  defineRoute(app, {
    method: 'GET', url: '/support/search', roles: ['support', 'operator'], query: supportSearchQuery,
    summary: 'Find orders by email, phone, customer id or status (OpenSearch read model)',
    description: 'Give at least one of email, phone, customerId, status. The answer carries the read model\'s freshness; each hit its own.',
    responses: { 200: { description: 'Matching orders, newest first' } },
  }, async ({ query }) => {
    const { alias } = supportSearchIndexNames(ctx.searchIndexPrefix);
    const [results, freshness] = await Promise.all([
      searchOrders(ctx.search, alias, query),
      readModelFreshness(ctx.db, SUPPORT_SEARCH, ctx.clock()),
    ]);
    return { count: results.length, results, freshness };
  });
}
