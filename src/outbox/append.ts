import { randomUUID } from 'node:crypto';
import { sql, type Transaction } from 'kysely';
import type { OrderEvent, OrderState } from '../domain/index.js';
import type { Database } from '../db/schema.js';
import type { OrderEventPayload } from './envelope.js';

export interface AppendedEvent {
  eventId: string;
  version: number;
  type: OrderEvent['type'];
}

export interface OutboxRow {
  event_id: string;
  aggregate_type: 'order';
  aggregate_id: string;
  aggregate_version: number;
  event_type: OrderEvent['type'];
  payload: OrderEventPayload;
  occurred_at: string;
}

/** `states[i]` is the order after `events[i]`: each row carries the change and the state after it. */
export function toOutboxRows(events: readonly OrderEvent[], states: readonly OrderState[], occurredAt: Date): OutboxRow[] {
  return events.map((event, i) => {
    const order = states[i]!;
    return {
      event_id: randomUUID(),
      aggregate_type: 'order',
      aggregate_id: order.orderId,
      aggregate_version: order.version,
      event_type: event.type,
      payload: { event: event.data, order },
      occurred_at: occurredAt.toISOString(),
    };
  });
}

/** The outbox rows as a set-returning SQL expression, to insert them inside a larger statement. */
export function outboxRowsSql(rows: readonly OutboxRow[]) {
  return sql`jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as r(
    event_id uuid, aggregate_type text, aggregate_id uuid, aggregate_version integer,
    event_type text, payload jsonb, occurred_at timestamptz)`;
}

export function appended(rows: readonly OutboxRow[]): AppendedEvent[] {
  return rows.map((r) => ({ eventId: r.event_id, version: r.aggregate_version, type: r.event_type }));
}

/**
 * Appends an order's new events to the outbox inside the caller's transaction, so the
 * state change and the fact that it happened commit together or not at all.
 */
export async function appendOrderEvents(
  trx: Transaction<Database>,
  events: readonly OrderEvent[],
  states: readonly OrderState[],
  occurredAt: Date,
): Promise<AppendedEvent[]> {
  const rows = toOutboxRows(events, states, occurredAt);
  if (rows.length > 0) {
    await sql`insert into outbox_events (event_id, aggregate_type, aggregate_id, aggregate_version, event_type, payload, occurred_at)
      select * from ${outboxRowsSql(rows)}`.execute(trx);
  }
  return appended(rows);
}
