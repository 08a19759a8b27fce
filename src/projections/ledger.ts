import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import type { StoredOrderEvent } from '../outbox/envelope.js';

/**
 * Records the events a projection is about to apply, in the caller's transaction, and
 * returns those it had not applied before. Duplicate delivery is decided per event, never
 * per batch: two batches may carry the same event.
 */
export async function recordFirstDeliveries(
  trx: Transaction<Database>,
  projection: string,
  events: readonly StoredOrderEvent[],
): Promise<StoredOrderEvent[]> {
  if (events.length === 0) return [];
  const inserted = await trx
    .insertInto('processed_projection_events')
    .values(
      events.map((e) => ({
        projection,
        event_id: e.eventId,
        aggregate_id: e.aggregateId,
        aggregate_version: e.aggregateVersion,
      })),
    )
    .onConflict((oc) => oc.columns(['projection', 'event_id']).doNothing())
    .returning('event_id')
    .execute();
  const fresh = new Set(inserted.map((r) => r.event_id));
  return events.filter((e) => fresh.has(e.eventId));
}
