import type { Kysely, Selectable } from 'kysely';
import type { Database, OutboxEventTable } from '../db/schema.js';
import type { OrderEventPayload, StoredOrderEvent } from './envelope.js';

export const storedEventColumns = ['position', 'event_id', 'aggregate_id', 'aggregate_version', 'event_type', 'occurred_at', 'payload'] as const;

type StoredEventRow = Pick<Selectable<OutboxEventTable>, (typeof storedEventColumns)[number]>;

export function toStoredEvent(r: StoredEventRow): StoredOrderEvent {
  return {
    position: r.position,
    eventId: r.event_id,
    aggregateId: r.aggregate_id,
    aggregateVersion: r.aggregate_version,
    type: r.event_type as StoredOrderEvent['type'],
    occurredAt: r.occurred_at,
    payload: r.payload as OrderEventPayload,
  };
}

/** Loads events by id in outbox order, from the whole log (moved rows included); ids that do not exist are simply absent. */
export async function loadEvents(db: Kysely<Database>, eventIds: readonly string[]): Promise<StoredOrderEvent[]> {
  if (eventIds.length === 0) return [];
  const rows = await db
    .selectFrom('outbox_log_events')
    .select(storedEventColumns)
    .where('event_id', 'in', [...eventIds])
    .orderBy('position')
    .execute();
  return rows.map(toStoredEvent);
}

/** Of several events of one order, only the newest carries the state every read model needs. */
export function latestPerAggregate(events: readonly StoredOrderEvent[]): StoredOrderEvent[] {
  const latest = new Map<string, StoredOrderEvent>();
  for (const event of events) {
    const seen = latest.get(event.aggregateId);
    if (!seen || seen.aggregateVersion < event.aggregateVersion) latest.set(event.aggregateId, event);
  }
  return [...latest.values()];
}
