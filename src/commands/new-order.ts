import { sql, type Transaction } from 'kysely';
import type { OrderState } from '../domain/index.js';
import type { Database } from '../db/schema.js';
import { outboxRowsSql, type OutboxRow } from '../outbox/append.js';

/**
 * Writes a new order in one statement: the order row, its items, the stock it reserves and its
 * outbox event. One round trip instead of one per table (and per item) keeps the product row
 * locks, taken just before, held for as short a time as possible.
 */
export async function writeNewOrder(trx: Transaction<Database>, order: OrderState, outbox: readonly OutboxRow[]): Promise<void> {
  const lines = order.lines.map((l) => ({
    sku: l.sku, name: l.name, quantity: l.quantity, unit_price_cents: l.unitPriceCents, line_total_cents: l.lineTotalCents,
  }));
  await sql`
    with new_order as (
      insert into orders (id, customer_id, status, version, total_cents, currency, state, created_at, updated_at)
      values (${order.orderId}, ${order.customerId}, ${order.status}, ${order.version}, ${order.totalCents},
              ${order.currency}, ${JSON.stringify(order)}::jsonb, ${order.placedAt}, ${order.updatedAt})
      returning id
    ),
    lines as (
      select * from jsonb_to_recordset(${JSON.stringify(lines)}::jsonb)
        as l(sku text, name text, quantity integer, unit_price_cents bigint, line_total_cents bigint)
    ),
    items as (
      insert into order_items (order_id, sku, name, quantity, unit_price_cents, line_total_cents)
      select new_order.id, lines.sku, lines.name, lines.quantity, lines.unit_price_cents, lines.line_total_cents
      from new_order, lines
    ),
    reserved as (
      update products set stock = products.stock - lines.quantity, updated_at = now()
      from lines where products.sku = lines.sku
    )
    insert into outbox_events (event_id, aggregate_type, aggregate_id, aggregate_version, event_type, payload, occurred_at)
    select r.* from new_order, ${outboxRowsSql(outbox)}`.execute(trx);
}
