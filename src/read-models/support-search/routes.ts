import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../http/context.js';
import { defineRoute } from '../../http/routing/define-route.js';
import { readModelFreshness } from '../checkpoints.js';
import { recordReveal } from './audit.js';
import { SUPPORT_SEARCH } from './projection.js';
import { presentHit, searchOrders } from './queries.js';
import { supportSearchParams } from './search-params.js';
import { supportSearchIndexNames } from './storage.js';

const DESCRIPTION = [
  'Give at least one filter. Email and phone are masked unless reveal=true with a reason; every reveal is audited, one row per returned order.',
  'Pages follow nextCursor (pass it back as cursor). Facets count every match, not only the page.',
  'The answer carries the read model\'s checkpoint freshness; each hit its own document\'s.',
].join(' ');

/** Support search over the OpenSearch read model, for support agents and operators. */
export function register(app: FastifyInstance, ctx: AppContext): void {
  defineRoute(app, {
    method: 'GET', url: '/support/search', roles: ['support', 'operator'], query: supportSearchParams,
    summary: 'Find orders by contact, free text, state, carrier, region, risk, dispute or placed time (OpenSearch read model)',
    description: DESCRIPTION,
    responses: {
      200: { description: 'Matching orders, newest first, with facet counts' },
      503: { description: 'The database or the search store cannot be reached, or the support index is closed or missing; retry after Retry-After', problemTypes: ['service-unavailable'] },
    },
  }, async ({ query, caller }) => {
    const { alias } = supportSearchIndexNames(ctx.searchIndexPrefix);
    const [page, freshness] = await Promise.all([
      searchOrders(ctx.search, alias, query),
      readModelFreshness(ctx.db, SUPPORT_SEARCH, ctx.clock()),
    ]);
    if (query.reveal) {
      await recordReveal(ctx.db, { callerId: caller.id, at: ctx.clock(), orderIds: page.documents.map((d) => d.orderId), reason: query.reason! });
    }
    const results = page.documents.map((doc) => presentHit(doc, query.reveal));
    return { count: results.length, total: page.total, results, nextCursor: page.nextCursor, facets: page.facets, freshness };
  });
}
