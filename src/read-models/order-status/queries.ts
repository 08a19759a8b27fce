import type { Selectable } from 'kysely';
import type { Db } from '../../db/database.js';
import type { Caller } from '../../http/auth.js';
import { visibleTo } from '../../http/ownership.js';
import type { OrderSummaryTable } from './storage.js';
import { orderFreshness } from '../order-freshness.js';

export type OrderSummaryRow = Selectable<OrderSummaryTable>;

/** A customer-bound caller's filter is part of the query: another customer's row is never fetched. */
export async function findOrderSummary(db: Db, orderId: string, caller: Caller): Promise<OrderSummaryRow | undefined> {
  return db
    .selectFrom('order_summary').selectAll().where('order_id', '=', orderId)
    .$call((query) => visibleTo(query, caller))
    .executeTakeFirst();
}

function shipmentOf(row: OrderSummaryRow) {
  if (row.shipment_carrier === null) return null;
  return { carrier: row.shipment_carrier, trackingNumber: row.shipment_tracking_number, status: row.shipment_status };
}

/** Every read says how fresh it is: which write it reflects and how long it took to get here. */
export function summaryFreshness(row: OrderSummaryRow) {
  return orderFreshness(row.source_version, row);
}

/** The body of GET /orders/{id}. */
export function orderStatusView(row: OrderSummaryRow) {
  return {
    orderId: row.order_id,
    customerId: row.customer_id,
    status: row.status,
    paymentState: row.payment_state,
    refundState: row.refund_state,
    totalCents: row.total_cents,
    refundedCents: row.refunded_cents,
    currency: row.currency,
    region: row.region,
    paymentProvider: row.payment_provider,
    itemCount: row.item_count,
    placedAt: row.placed_at.toISOString(),
    shipment: shipmentOf(row),
    openDisputes: row.open_disputes,
    riskFlags: row.risk_flags,
    freshness: summaryFreshness(row),
  };
}
