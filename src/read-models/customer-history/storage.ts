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
  },
  async down(db: Kysely<any>) {
    await db.schema.dropTable('customer_order_history').execute();
  },
};

export const customerHistoryMigrations: Record<string, Migration> = {
  '2026_11_28_0010_customer_history': customerHistory,
};
