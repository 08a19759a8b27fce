import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { Timestamp } from '../../db/schema.js';

/**
 * `order_summary` holds the latest state of each order. The table itself was created by the
 * shared migration 2026_11_26_0002_read_models (before read models had folders) and keeps
 * that name so existing databases carry on; later changes to it live here.
 */
export interface OrderSummaryTable {
  order_id: string;
  customer_id: string;
  status: string;
  payment_state: string;
  refund_state: string;
  total_cents: number;
  refunded_cents: number;
  currency: string;
  region: string;
  payment_provider: string;
  item_count: number;
  placed_at: Timestamp;
  shipment_carrier: string | null;
  shipment_tracking_number: string | null;
  shipment_status: string | null;
  open_disputes: number;
  risk_flags: string[];
  source_version: number;
  last_event_id: string;
  last_event_at: Timestamp;
  projected_at: Timestamp;
}

export interface OrderStatusTables {
  order_summary: OrderSummaryTable;
}

/** Frozen in time like every migration: never import app code. */
const shipmentDisputesAndRisk: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .alterTable('order_summary')
      .addColumn('shipment_carrier', 'text')
      .addColumn('shipment_tracking_number', 'text')
      .addColumn('shipment_status', 'text')
      .addColumn('open_disputes', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('risk_flags', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
      .execute();
  },
  async down(db: Kysely<any>) {
    await db.schema
      .alterTable('order_summary')
      .dropColumn('shipment_carrier')
      .dropColumn('shipment_tracking_number')
      .dropColumn('shipment_status')
      .dropColumn('open_disputes')
      .dropColumn('risk_flags')
      .execute();
  },
};

export const orderStatusMigrations: Record<string, Migration> = {
  '2026_11_28_0004_order_status_shipment_disputes_risk': shipmentDisputesAndRisk,
};
