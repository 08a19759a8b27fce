import { sql, type Selectable } from 'kysely';
import type { Db } from '../../db/database.js';
import { encodeCursor, type HistoryCursor } from './cursor.js';
import type { CustomerOrderHistoryTable } from './storage.js';
import { orderFreshness } from '../order-freshness.js';

export type HistoryRow = Selectable<CustomerOrderHistoryTable>;

export interface HistoryPage {
  rows: HistoryRow[];
  nextCursor: string | null;
}

/**
 * One page of a customer's orders, newest first, from one table and one index range: rows
 * strictly after the cursor in (placed_at desc, order_id desc) order. One row more than
 * asked tells whether another page follows.
 */
export async function historyPage(db: Db, customerId: string, limit: number, after?: HistoryCursor): Promise<HistoryPage> {
  const rows = await db
    .selectFrom('customer_order_history')
    .selectAll()
    .where('customer_id', '=', customerId)
    .$if(after !== undefined, (q) =>
      q.where(sql<boolean>`(placed_at, order_id) < (${after!.placedAt}::timestamptz, ${after!.orderId}::uuid)`))
    .orderBy('placed_at', 'desc')
    .orderBy('order_id', 'desc')
    .limit(limit + 1)
    .execute();
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  const more = rows.length > limit && last !== undefined;
  return {
    rows: page,
    nextCursor: more ? encodeCursor({ customerId, placedAt: last.placed_at.toISOString(), orderId: last.order_id }) : null,
  };
}

/** One order of the history: its summary and how fresh that summary is. No contact data. */
export function historyItem(row: HistoryRow) {
  return {
    orderId: row.order_id,
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
    shipment: row.shipment_status === null ? null : { status: row.shipment_status, carrier: row.shipment_carrier },
    freshness: orderFreshness(row.source_version, row),
  };
}

export type HistoryItem = ReturnType<typeof historyItem>;
