import type { Insertable } from 'kysely';
import type { Db } from '../../db/database.js';
import type { StoredOrderEvent } from '../../outbox/envelope.js';
import { applyLatestState } from '../latest-state.js';
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

/** `customer_order_history`: the latest state of each order, under a version guard. */
export function applyToCustomerHistory(db: Db, events: readonly StoredOrderEvent[]): Promise<ApplyOutcome> {
  return applyLatestState(db, { readModel: CUSTOMER_HISTORY, table: 'customer_order_history', toRow: toHistoryRow, updatedColumns }, events);
}
