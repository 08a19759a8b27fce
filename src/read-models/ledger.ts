import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import type { StoredOrderEvent } from '../outbox/envelope.js';

function ledgerRows(readModel: string, events: readonly StoredOrderEvent[]) {
  return events.map((e) => ({
    projection: readModel,
    event_id: e.eventId,
    aggregate_id: e.aggregateId,
    aggregate_version: e.aggregateVersion,
  }));
}

/**
 * Records the events a PostgreSQL read model is about to apply, in the caller's transaction,
 * and returns those it had not applied before. Duplicate delivery is decided per event,
 * never per batch: two batches may carry the same event.
 */
export async function recordFirstDeliveries(
  trx: Transaction<Database>,
  readModel: string,
  events: readonly StoredOrderEvent[],
): Promise<StoredOrderEvent[]> {
  if (events.length === 0) return [];
  const inserted = await trx
    .insertInto('processed_projection_events')
    .values(ledgerRows(readModel, events))
    .onConflict((oc) => oc.columns(['projection', 'event_id']).doNothing())
    .returning('event_id')
    .execute();
  const fresh = new Set(inserted.map((r) => r.event_id));
  return events.filter((e) => fresh.has(e.eventId));
}

/**
 * Records events as applied once their effect is durable elsewhere (an OpenSearch bulk that
 * succeeded, events a model does not handle). A crash before this line only means the batch
 * is applied again, which every read model tolerates.
 */
export async function recordApplied(db: Kysely<Database>, readModel: string, events: readonly StoredOrderEvent[]): Promise<void> {
  if (events.length === 0) return;
  await db
    .insertInto('processed_projection_events')
    .values(ledgerRows(readModel, events))
    .onConflict((oc) => oc.columns(['projection', 'event_id']).doNothing())
    .execute();
}
