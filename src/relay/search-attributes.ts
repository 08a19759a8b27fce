import type { SearchAttributePair } from '@temporalio/common';
import { FIRST_POSITION, LAST_POSITION, ORDER_IDS } from '../../workflows/search-attributes.js';
import type { ClaimedBatch } from './claim.js';

/**
 * What operators filter batches by: the orders in it (distinct, in claim order) and the span
 * of outbox positions it covers. The claim bounds the orders per batch so the ids fit one value.
 */
export function batchSearchAttributes(batch: ClaimedBatch): SearchAttributePair[] {
  const positions = batch.events.map((e) => e.position);
  const orderIds: SearchAttributePair = { key: ORDER_IDS, value: [...new Set(batch.events.map((e) => e.aggregateId))] };
  if (positions.length === 0) return [orderIds]; // a claim is never empty, a hand-made batch may be
  return [
    orderIds,
    { key: FIRST_POSITION, value: Math.min(...positions) },
    { key: LAST_POSITION, value: Math.max(...positions) },
  ];
}
