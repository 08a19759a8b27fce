import { sql, type Kysely } from 'kysely';

/**
 * Relational read models. Each projection records the events it has applied in
 * processed_projection_events, in the same transaction as its read rows.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('processed_projection_events')
    .addColumn('projection', 'text', (c) => c.notNull())
    .addColumn('event_id', 'uuid', (c) => c.notNull())
    .addColumn('aggregate_id', 'uuid', (c) => c.notNull())
    .addColumn('aggregate_version', 'integer', (c) => c.notNull())
    .addColumn('processed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('processed_projection_events_pk', ['projection', 'event_id'])
    .execute();

  await db.schema
    .createTable('order_summary')
    .addColumn('order_id', 'uuid', (c) => c.primaryKey())
    .addColumn('customer_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('payment_state', 'text', (c) => c.notNull())
    .addColumn('refund_state', 'text', (c) => c.notNull())
    .addColumn('total_cents', 'bigint', (c) => c.notNull())
    .addColumn('refunded_cents', 'bigint', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('payment_provider', 'text', (c) => c.notNull())
    .addColumn('item_count', 'integer', (c) => c.notNull())
    .addColumn('placed_at', 'timestamptz', (c) => c.notNull())
    .addColumn('source_version', 'integer', (c) => c.notNull())
    .addColumn('last_event_id', 'uuid', (c) => c.notNull())
    .addColumn('last_event_at', 'timestamptz', (c) => c.notNull())
    .addColumn('projected_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('order_summary_customer_idx').on('order_summary').columns(['customer_id', 'placed_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('order_summary').execute();
  await db.schema.dropTable('processed_projection_events').execute();
}
