import type { SearchClient } from '../../search/client.js';
import type { OrderSearchDocument } from './document.js';

export interface SupportSearchQuery {
  email?: string | undefined;
  phone?: string | undefined;
  customerId?: string | undefined;
  status?: string | undefined;
  limit: number;
}

function filters(query: SupportSearchQuery) {
  const terms: Array<Record<string, unknown>> = [];
  if (query.email) terms.push({ term: { email: query.email } });
  if (query.phone) terms.push({ term: { phone: query.phone } });
  if (query.customerId) terms.push({ term: { customerId: query.customerId } });
  if (query.status) terms.push({ term: { status: query.status } });
  return terms;
}

/** Newest orders first; each hit carries the freshness of its own document. */
export async function searchOrders(client: SearchClient, alias: string, query: SupportSearchQuery) {
  const response = await client.search({
    index: alias,
    body: { query: { bool: { filter: filters(query) } }, sort: [{ placedAt: 'desc' }], size: query.limit } as never,
  });
  return (response.body.hits.hits as Array<{ _source: OrderSearchDocument }>).map(({ _source: doc }) => {
    const { sourceVersion, lastEventId, lastEventAt, projectedAt, ...order } = doc;
    const lagMs = Date.parse(projectedAt) - Date.parse(lastEventAt);
    return { ...order, freshness: { sourceVersion, lastEventId, lastEventAt, projectedAt, lagMs } };
  });
}
