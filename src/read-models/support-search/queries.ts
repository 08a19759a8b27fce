import { ORDER_STATUSES } from '../../domain/index.js';
import type { SearchClient } from '../../search/client.js';
import { encodeCursor, type SortKey } from './cursor.js';
import type { OrderSearchDocument } from './document.js';
import { maskEmail, maskPhone } from './masking.js';
import { FACETS, searchBody } from './query-body.js';
import type { SupportSearchParams } from './search-params.js';

type FacetName = keyof typeof FACETS;
export type Facets = Record<FacetName, Record<string, number>>;

/** Every value of the domain is listed, with 0 when no order has it; carriers are whatever orders use. */
const FACET_VALUES: Record<FacetName, readonly string[]> = {
  status: ORDER_STATUSES,
  paymentState: ['pending', 'authorized', 'declined', 'voided'],
  refundState: ['none', 'partial', 'full'],
  carrier: [],
};

interface Hit {
  _source: OrderSearchDocument;
  sort: SortKey;
}
type Buckets = { buckets: Array<{ key: string; doc_count: number }> };

export interface SearchPage {
  documents: OrderSearchDocument[];
  nextCursor: string | null;
  total: number;
  facets: Facets;
}

function facetsOf(aggregations: Record<FacetName, Buckets>): Facets {
  const facets = {} as Facets;
  for (const name of Object.keys(FACETS) as FacetName[]) {
    const counts: Record<string, number> = Object.fromEntries(FACET_VALUES[name].map((value) => [value, 0]));
    for (const bucket of aggregations[name].buckets) counts[bucket.key] = bucket.doc_count;
    facets[name] = counts;
  }
  return facets;
}

/** One page of matching orders, newest first, with the facet counts of every match. */
export async function searchOrders(client: SearchClient, alias: string, params: SupportSearchParams): Promise<SearchPage> {
  const response = await client.search({ index: alias, body: searchBody(params) as never });
  const hits = response.body.hits.hits as unknown as Hit[];
  const page = hits.slice(0, params.limit);
  const more = hits.length > params.limit;
  return {
    documents: page.map((hit) => hit._source),
    nextCursor: more ? encodeCursor(page[page.length - 1]!.sort) : null,
    total: (response.body.hits.total as { value: number }).value,
    facets: facetsOf(response.body.aggregations as unknown as Record<FacetName, Buckets>),
  };
}

/**
 * A hit as the API shows it: the document's fields without those that serve the search
 * only, email and phone masked unless revealed, and the document's own freshness.
 */
export function presentHit(doc: OrderSearchDocument, reveal: boolean) {
  const { sourceVersion, lastEventId, lastEventAt, projectedAt, notes: _notes, phoneDigitsReversed: _reversed, searchText: _text, ...order } = doc;
  const lagMs = Date.parse(projectedAt) - Date.parse(lastEventAt);
  const contact = reveal ? { email: order.email, phone: order.phone } : { email: maskEmail(order.email), phone: maskPhone(order.phone) };
  return { ...order, ...contact, freshness: { sourceVersion, lastEventId, lastEventAt, projectedAt, lagMs } };
}
