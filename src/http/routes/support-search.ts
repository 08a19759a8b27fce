import type { FastifyInstance } from 'fastify';
import type { OrderSearchDocument } from '../../search/order-document.js';
import type { AppContext } from '../context.js';
import { defineRoute } from '../routing/define-route.js';
import { supportSearchQuery } from '../schemas.js';

function filters(query: { email?: string | undefined; phone?: string | undefined; customerId?: string | undefined; status?: string | undefined }) {
  const terms: Array<Record<string, unknown>> = [];
  if (query.email) terms.push({ term: { email: query.email } });
  if (query.phone) terms.push({ term: { phone: query.phone } });
  if (query.customerId) terms.push({ term: { customerId: query.customerId } });
  if (query.status) terms.push({ term: { status: query.status } });
  return terms;
}

/** Support search over the OpenSearch read model; each hit carries its own freshness. */
export function registerSupportSearch(app: FastifyInstance, ctx: AppContext): void {
  defineRoute(app, {
    method: 'GET', url: '/support/search', roles: ['support', 'operator'], query: supportSearchQuery,
    summary: 'Find orders by email, phone, customer id or status (OpenSearch read model)',
    description: 'Give at least one of email, phone, customerId, status. Each hit carries its own freshness.',
    responses: { 200: { description: 'Matching orders, newest first' } },
  }, async ({ query }) => {
    const response = await ctx.search.search({
      index: ctx.searchAlias,
      body: { query: { bool: { filter: filters(query) } }, sort: [{ placedAt: 'desc' }], size: query.limit } as never,
    });
    const hits = (response.body.hits.hits as Array<{ _source: OrderSearchDocument }>).map(({ _source: doc }) => {
      const { sourceVersion, lastEventId, lastEventAt, projectedAt, ...order } = doc;
      const lagMs = Date.parse(projectedAt) - Date.parse(lastEventAt);
      return { ...order, freshness: { sourceVersion, lastEventId, lastEventAt, projectedAt, lagMs } };
    });
    return { count: hits.length, results: hits };
  });
}
