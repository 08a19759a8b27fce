import type { FastifyInstance } from 'fastify';
import type { OrderSearchDocument } from '../../search/order-document.js';
import type { AppContext } from '../context.js';
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
  app.get('/support/search', async (request) => {
    ctx.authorize(request, ['support', 'operator']);
    const query = supportSearchQuery.parse(request.query);
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
