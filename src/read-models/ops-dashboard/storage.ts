import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { Timestamp } from '../../db/schema.js';

/** One row per order: where it is counted, and since when it has been in its status. */
export interface OpsDashboardOrderTable {
  order_id: string;
  status: string;
  region: string;
  payment_provider: string;
  /** occurredAt of the order's earliest applied event in its current status: the event that entered it, once applied. */
  status_since: Timestamp;
  /** The aggregate version of that event. */
  status_since_version: number;
  /** The newest aggregate version applied; moves forward only. */
  version: number;
}

/** How many orders sit in each (status, region, payment provider) bucket right now. */
export interface OpsDashboardBucketTable {
  status: string;
  region: string;
  payment_provider: string;
  count: number;
}

/** Events per minute (by occurredAt, UTC), region and payment provider. */
export interface OpsDashboardMinuteTable {
  minute: Timestamp;
  region: string;
  payment_provider: string;
  placed: number;
  paid: number;
  shipped: number;
  cancelled: number;
  refunded: number;
}

export interface OpsDashboardTables {
  ops_dashboard_orders: OpsDashboardOrderTable;
  ops_dashboard_buckets: OpsDashboardBucketTable;
  ops_dashboard_minutes: OpsDashboardMinuteTable;
}

/** Frozen in time like every migration: never import app code. */
const opsDashboard: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('ops_dashboard_orders')
      .addColumn('order_id', 'uuid', (c) => c.primaryKey())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('region', 'text', (c) => c.notNull())
      .addColumn('payment_provider', 'text', (c) => c.notNull())
      .addColumn('status_since', 'timestamptz', (c) => c.notNull())
      .addColumn('status_since_version', 'integer', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .execute();
    // Stuck orders: a status and an age, never a scan of every order.
    await db.schema.createIndex('ops_dashboard_orders_status_since').on('ops_dashboard_orders').columns(['status', 'status_since']).execute();
    await db.schema
      .createTable('ops_dashboard_buckets')
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('region', 'text', (c) => c.notNull())
      .addColumn('payment_provider', 'text', (c) => c.notNull())
      .addColumn('count', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('ops_dashboard_buckets_pk', ['status', 'region', 'payment_provider'])
      .execute();
    await db.schema
      .createTable('ops_dashboard_minutes')
      .addColumn('minute', 'timestamptz', (c) => c.notNull())
      .addColumn('region', 'text', (c) => c.notNull())
      .addColumn('payment_provider', 'text', (c) => c.notNull())
      .addColumn('placed', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('paid', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('shipped', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('cancelled', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('refunded', 'integer', (c) => c.notNull().defaultTo(0))
      .addPrimaryKeyConstraint('ops_dashboard_minutes_pk', ['minute', 'region', 'payment_provider'])
      .execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.dropTable('ops_dashboard_minutes').execute();
    await db.schema.dropTable('ops_dashboard_buckets').execute();
    await db.schema.dropTable('ops_dashboard_orders').execute();
  },
};

export const opsDashboardMigrations: Record<string, Migration> = {
  '2026_11_28_0012_ops_dashboard': opsDashboard,
};
