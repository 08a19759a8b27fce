import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { Timestamp } from '../../db/schema.js';

/**
 * One row per order, read by customer newest first. The keyset (placed_at, order_id) never
 * changes for an order, so pages stay stable while statuses move on. No contact data here.
 */
export interface CustomerOrderHistoryTable {
  order_id: string;
  customer_id: string;
  placed_at: Timestamp;
  status: string;
  payment_state: string;
  refund_state: string;
  total_cents: number;
  refunded_cents: number;
  currency: string;
  region: string;
  payment_provider: string;
  item_count: number;
  shipment_status: string | null;
  shipment_carrier: string | null;
  source_version: number;
  last_event_id: string;
  last_event_at: Timestamp;
  projected_at: Timestamp;
}

export interface CustomerHistoryTables {
  customer_order_history: CustomerOrderHistoryTable;
}

const order = sql`e.payload -> 'order'`;

/**
 * Batches dispatched before this model existed will never name it, so a database with
 * orders starts the history from the outbox: each order's newest event (it carries the whole
 * state), every event in the ledger, the checkpoint at the claimed head. Events committed
 * after this transaction's snapshot are not in the ledger and get applied as they come.
 */
async function backfillFromOutbox(db: Kysely<any>): Promise<void> {
  await sql`
    insert into customer_order_history
    select distinct on (e.aggregate_id) e.aggregate_id, ${order} ->> 'customerId', (${order} ->> 'placedAt')::timestamptz,
      ${order} ->> 'status', ${order} -> 'payment' ->> 'state', ${order} -> 'refund' ->> 'state',
      (${order} ->> 'totalCents')::bigint, (${order} -> 'refund' ->> 'refundedCents')::bigint,
      ${order} ->> 'currency', ${order} ->> 'region', ${order} ->> 'paymentProvider',
      (select coalesce(sum((line ->> 'quantity')::int), 0) from jsonb_array_elements(${order} -> 'lines') line),
      ${order} -> 'shipment' ->> 'status', ${order} -> 'shipment' ->> 'carrier',
      e.aggregate_version, e.event_id, e.occurred_at, now()
    from outbox_events e
    order by e.aggregate_id, e.aggregate_version desc`.execute(db);
  await sql`
    insert into processed_projection_events (projection, event_id, aggregate_id, aggregate_version)
    select 'customer-history', event_id, aggregate_id, aggregate_version from outbox_events
    on conflict do nothing`.execute(db);
  await sql`
    insert into read_model_checkpoints (read_model, position) select 'customer-history', head from outbox_log
    on conflict (read_model) do update set position = greatest(read_model_checkpoints.position, excluded.position)`.execute(db);
}

/** Frozen in time like every migration: never import app code. */
const customerHistory: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('customer_order_history')
      .addColumn('order_id', 'uuid', (c) => c.primaryKey())
      .addColumn('customer_id', 'text', (c) => c.notNull())
      .addColumn('placed_at', 'timestamptz', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('payment_state', 'text', (c) => c.notNull())
      .addColumn('refund_state', 'text', (c) => c.notNull())
      .addColumn('total_cents', 'bigint', (c) => c.notNull())
      .addColumn('refunded_cents', 'bigint', (c) => c.notNull())
      .addColumn('currency', 'text', (c) => c.notNull())
      .addColumn('region', 'text', (c) => c.notNull())
      .addColumn('payment_provider', 'text', (c) => c.notNull())
      .addColumn('item_count', 'integer', (c) => c.notNull())
      .addColumn('shipment_status', 'text')
      .addColumn('shipment_carrier', 'text')
      .addColumn('source_version', 'integer', (c) => c.notNull())
      .addColumn('last_event_id', 'uuid', (c) => c.notNull())
      .addColumn('last_event_at', 'timestamptz', (c) => c.notNull())
      .addColumn('projected_at', 'timestamptz', (c) => c.notNull())
      .execute();
    // The keyset of GET /customers/{customerId}/orders: one index range scan per page.
    await sql`create index customer_order_history_keyset_idx
      on customer_order_history (customer_id, placed_at desc, order_id desc)`.execute(db);
    await backfillFromOutbox(db);
  },
  async down(db: Kysely<any>) {
    await db.schema.dropTable('customer_order_history').execute();
    await sql`delete from processed_projection_events where projection = 'customer-history'`.execute(db);
    await sql`delete from read_model_checkpoints where read_model = 'customer-history'`.execute(db);
  },
};

export const customerHistoryMigrations: Record<string, Migration> = {
  '2026_11_28_0010_customer_history': customerHistory,
};
