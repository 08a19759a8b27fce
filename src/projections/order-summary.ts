import { sql } from 'kysely';
import type { Db } from '../db/database.js';
import type { OrderSummaryTable } from '../db/schema.js';
import type { Insertable } from 'kysely';
import type { StoredOrderEvent } from '../outbox/envelope.js';
import { latestPerAggregate } from '../outbox/load.js';
import { recordFirstDeliveries } from './ledger.js';

export const ORDER_SUMMARY_PROJECTION = 'order_summary';

export interface ProjectionOutcome {
  applied: number;
  skipped: number;
}

function toSummaryRow(event: StoredOrderEvent, projectedAt: Date): Insertable<OrderSummaryTable> {
  const order = event.payload.order;
  return {
    order_id: order.orderId,
    customer_id: order.customerId,
    status: order.status,
    payment_state: order.payment.state,
    refund_state: order.refund.state,
    total_cents: order.totalCents,
    refunded_cents: order.refund.refundedCents,
    currency: order.currency,
    region: order.region,
    payment_provider: order.paymentProvider,
    item_count: order.lines.reduce((n, line) => n + line.quantity, 0),
    placed_at: order.placedAt,
    source_version: event.aggregateVersion,
    last_event_id: event.eventId,
    last_event_at: event.occurredAt,
    projected_at: projectedAt,
  };
}

/**
 * Applies events to `order_summary` in one transaction with the ledger. Each event carries
 * the order's full state, so the newest new event per order is enough, and the version
 * guard keeps an older event (late, or replayed) from overwriting newer state.
 */
export async function applyToOrderSummary(db: Db, events: readonly StoredOrderEvent[]): Promise<ProjectionOutcome> {
  return db.transaction().execute(async (trx) => {
    const fresh = await recordFirstDeliveries(trx, ORDER_SUMMARY_PROJECTION, events);
    const projectedAt = new Date();
    const rows = latestPerAggregate(fresh)
      .sort((a, b) => a.aggregateId.localeCompare(b.aggregateId)) // stable lock order across concurrent batches
      .map((event) => toSummaryRow(event, projectedAt));
    if (rows.length > 0) {
      await trx
        .insertInto('order_summary')
        .values(rows)
        .onConflict((oc) =>
          oc
            .column('order_id')
            .doUpdateSet((eb) => ({
              status: eb.ref('excluded.status'),
              payment_state: eb.ref('excluded.payment_state'),
              refund_state: eb.ref('excluded.refund_state'),
              total_cents: eb.ref('excluded.total_cents'),
              refunded_cents: eb.ref('excluded.refunded_cents'),
              item_count: eb.ref('excluded.item_count'),
              source_version: eb.ref('excluded.source_version'),
              last_event_id: eb.ref('excluded.last_event_id'),
              last_event_at: eb.ref('excluded.last_event_at'),
              projected_at: eb.ref('excluded.projected_at'),
            }))
            .where(sql<boolean>`order_summary.source_version < excluded.source_version`),
        )
        .execute();
    }
    return { applied: fresh.length, skipped: events.length - fresh.length };
  });
}
