import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { OrderEvent, OrderState } from '../domain/index.js';
import type { Database } from '../db/schema.js';
import type { OrderEventPayload } from './envelope.js';

export interface AppendedEvent {
  eventId: string;
  version: number;
  type: OrderEvent['type'];
}

/**
 * Appends an order's new events to the outbox inside the caller's transaction, so the
 * state change and the fact that it happened commit together or not at all.
 * `states[i]` is the order after `events[i]`.
 */
export async function appendOrderEvents(
  trx: Transaction<Database>,
  events: readonly OrderEvent[],
  states: readonly OrderState[],
  occurredAt: Date,
): Promise<AppendedEvent[]> {
  const rows = events.map((event, i) => {
    const order = states[i]!;
    const payload: OrderEventPayload = { event: event.data, order };
    return {
      event_id: randomUUID(),
      aggregate_type: 'order',
      aggregate_id: order.orderId,
      aggregate_version: order.version,
      event_type: event.type,
      payload: JSON.stringify(payload),
      occurred_at: occurredAt,
    };
  });
  if (rows.length > 0) await trx.insertInto('outbox_events').values(rows).execute();
  return rows.map((r) => ({ eventId: r.event_id, version: r.aggregate_version, type: r.event_type as OrderEvent['type'] }));
}
