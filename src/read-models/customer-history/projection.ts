import { sql, type Insertable } from 'kysely';
import type { Db } from '../../db/database.js';
import type { StoredOrderEvent } from '../../outbox/envelope.js';
import { latestPerAggregate } from '../../outbox/load.js';
import { recordFirstDeliveries } from '../ledger.js';
import type { ApplyOutcome } from '../read-model.js';
import type { CustomerOrderHistoryTable } from './storage.js';

export const CUSTOMER_HISTORY = 'customer-history';

function toHistoryRow(event: StoredOrderEvent, projectedAt: Date): Insertable<CustomerOrderHistoryTable> {
  const order = event.payload.order;
  return {
    order_id: order.orderId,
    customer_id: order.customerId,
    placed_at: order.placedAt,
    status: order.status,
    payment_state: order.payment.state,
    refund_state: order.refund.state,
    total_cents: order.totalCents,
    refunded_cents: order.refund.refundedCents,
    currency: order.currency,
    region: order.region,
    payment_provider: order.paymentProvider,
    item_count: order.lines.reduce((n, line) => n + line.quantity, 0),
    shipment_status: order.shipment?.status ?? null,
    shipment_carrier: order.shipment?.carrier ?? null,
    source_version: event.aggregateVersion,
    last_event_id: event.eventId,
    last_event_at: event.occurredAt,
    projected_at: projectedAt,
  };
}

/** Every column an event can change; order, customer and placement never do (the keyset). */
const updatedColumns = [
  'status', 'payment_state', 'refund_state', 'total_cents', 'refunded_cents', 'item_count',
  'shipment_status', 'shipment_carrier', 'source_version', 'last_event_id', 'last_event_at', 'projected_at',
] as const;

/**
 * Applies events in one transaction with the ledger. Each event carries the order's full
 * state, so the newest new event per order suffices; the version guard keeps a late or
 * replayed event from overwriting newer state. Rows go in order-id order so concurrent
 * batches lock them in the same sequence and never deadlock each other.
 */
export async function applyToCustomerHistory(db: Db, events: readonly StoredOrderEvent[]): Promise<ApplyOutcome> {
  return db.transaction().execute(async (trx) => {
    // Ledger rows in outbox order too, whatever order the caller gave: overlapping batches then
    // take the ledger's locks in one sequence.
    const inOutboxOrder = [...events].sort((a, b) => a.position - b.position);
    const fresh = await recordFirstDeliveries(trx, CUSTOMER_HISTORY, inOutboxOrder);
    const projectedAt = new Date();
    const rows = latestPerAggregate(fresh)
      .sort((a, b) => a.aggregateId.localeCompare(b.aggregateId))
      .map((event) => toHistoryRow(event, projectedAt));
    if (rows.length > 0) {
      await trx
        .insertInto('customer_order_history')
        .values(rows)
        .onConflict((oc) =>
          oc
            .column('order_id')
            .doUpdateSet((eb) => Object.fromEntries(updatedColumns.map((c) => [c, eb.ref(`excluded.${c}`)])))
            .where(sql<boolean>`customer_order_history.source_version < excluded.source_version`),
        )
        .execute();
    }
    return { applied: fresh.length, skipped: events.length - fresh.length };
  });
}
