import { foldForSearch, reversedDigits } from './folding.js';
import type { SupportSearchParams } from './search-params.js';

type Clause = Record<string, unknown>;

const term = (field: string, value: unknown): Clause => ({ term: { [field]: value } });

/**
 * Only these fields can be filtered, each with a term-level query on a keyword field: user
 * text is a value, never query syntax.
 */
const TERM_FILTERS = [
  ['customerId', 'customerId'], ['status', 'status'], ['paymentState', 'paymentState'],
  ['refundState', 'refundState'], ['carrier', 'shipmentCarrier'], ['shipmentStatus', 'shipmentStatus'],
  ['region', 'region'], ['paymentProvider', 'paymentProvider'], ['riskFlag', 'riskFlags'],
  ['openDispute', 'openDispute'], ['email', 'email'],
] as const satisfies ReadonlyArray<readonly [keyof SupportSearchParams, string]>;

function phoneClause(phone: NonNullable<SupportSearchParams['phone']>): Clause {
  return 'full' in phone ? term('phone', phone.full) : { prefix: { phoneDigitsReversed: reversedDigits(phone.suffix) } };
}

/**
 * Free text goes through the same folding as the documents, then into a `match_bool_prefix`
 * query on the one folded field: every word must be there, the last one may be a prefix.
 * Text that folds to no word (`*:*`) matches nothing.
 */
function textClause(q: string): Clause {
  const folded = foldForSearch(q);
  return folded === '' ? { match_none: {} } : { match_bool_prefix: { searchText: { query: folded, operator: 'and' } } };
}

export function filterClauses(params: SupportSearchParams): Clause[] {
  const clauses: Clause[] = [];
  for (const [param, field] of TERM_FILTERS) {
    if (params[param] !== undefined) clauses.push(term(field, params[param]));
  }
  if (params.phone) clauses.push(phoneClause(params.phone));
  if (params.q !== undefined) clauses.push(textClause(params.q));
  if (params.placedFrom || params.placedTo) {
    clauses.push({ range: { placedAt: { ...(params.placedFrom && { gte: params.placedFrom }), ...(params.placedTo && { lte: params.placedTo }) } } });
  }
  return clauses;
}

/** Facet name in the answer → the keyword field it counts. */
export const FACETS = { status: 'status', paymentState: 'paymentState', refundState: 'refundState', carrier: 'shipmentCarrier' } as const;

/** Newest first; the order id breaks ties, so every order has one place and pages never overlap. */
export const SORT = [{ placedAt: 'desc' }, { orderId: 'desc' }];

export function searchBody(params: SupportSearchParams): Clause {
  return {
    query: { bool: { filter: filterClauses(params) } },
    sort: SORT,
    // One more than asked tells whether another page exists without an empty last page.
    size: params.limit + 1,
    track_total_hits: true,
    ...(params.cursor && { search_after: params.cursor }),
    aggs: Object.fromEntries(Object.entries(FACETS).map(([name, field]) => [name, { terms: { field, size: 100 } }])),
  };
}
