import type { Insertable } from 'kysely';
import type { Db } from '../../db/database.js';
import type { StoredOrderEvent } from '../../outbox/envelope.js';
import { applyLatestState } from '../latest-state.js';
import type { ApplyOutcome } from '../read-model.js';
import type { OrderSummaryTable } from './storage.js';

export const ORDER_STATUS = 'order-status';

export function toSummaryRow(event: StoredOrderEvent, projectedAt: Date): Insertable<OrderSummaryTable> {
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
    shipment_carrier: order.shipment?.carrier ?? null,
    shipment_tracking_number: order.shipment?.trackingNumber ?? null,
    shipment_status: order.shipment?.status ?? null,
    open_disputes: order.disputes.filter((d) => d.status === 'open').length,
    risk_flags: order.riskFlags.map((f) => f.flag),
    source_version: event.aggregateVersion,
    last_event_id: event.eventId,
    last_event_at: event.occurredAt,
    projected_at: projectedAt,
  };
}

/** Every column an event can change; the identity and placement columns never do. */
const updatedColumns = [
  'status', 'payment_state', 'refund_state', 'total_cents', 'refunded_cents', 'item_count',
  'shipment_carrier', 'shipment_tracking_number', 'shipment_status', 'open_disputes', 'risk_flags',
  'source_version', 'last_event_id', 'last_event_at', 'projected_at',
] as const;

/** `order_summary`: the latest state of each order, under a version guard. */
export function applyToOrderStatus(db: Db, events: readonly StoredOrderEvent[]): Promise<ApplyOutcome> {
  return applyLatestState(db, { readModel: ORDER_STATUS, table: 'order_summary', toRow: toSummaryRow, updatedColumns }, events);
}
