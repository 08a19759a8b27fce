import { sql, type Kysely } from 'kysely';

/**
 * The write model: products (inventory), orders with their items, the transactional
 * outbox, and the idempotency store for commands. Frozen in time: never import app code.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('products')
    .addColumn('sku', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('price_cents', 'bigint', (c) => c.notNull().check(sql`price_cents >= 0`))
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('stock', 'integer', (c) => c.notNull().check(sql`stock >= 0`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('orders')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('customer_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().check(sql`version >= 1`))
    .addColumn('total_cents', 'bigint', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    // The whole aggregate as the domain's evolve() left it; columns above are for queries.
    .addColumn('state', 'jsonb', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('orders_customer_idx').on('orders').columns(['customer_id', 'created_at']).execute();

  await db.schema
    .createTable('order_items')
    .addColumn('order_id', 'uuid', (c) => c.notNull().references('orders.id'))
    .addColumn('sku', 'text', (c) => c.notNull().references('products.sku'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('quantity', 'integer', (c) => c.notNull().check(sql`quantity > 0`))
    .addColumn('unit_price_cents', 'bigint', (c) => c.notNull())
    .addColumn('line_total_cents', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('order_items_pk', ['order_id', 'sku'])
    .execute();

  // Batch workflow ids must never repeat in a Temporal namespace, even for a rebuilt or second
  // database whose batch numbers start again at 1: each outbox gets its own random id.
  await db.schema
    .createTable('outbox_instance')
    .addColumn('singleton', 'boolean', (c) => c.primaryKey().defaultTo(true).check(sql`singleton`))
    .addColumn('instance_id', 'text', (c) => c.notNull().defaultTo(sql`substr(md5(gen_random_uuid()::text), 1, 10)`))
    .execute();
  await db.insertInto('outbox_instance').defaultValues().execute();

  await db.schema
    .createTable('outbox_batches')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('event_count', 'integer', (c) => c.notNull())
    .addColumn('first_position', 'bigint', (c) => c.notNull())
    .addColumn('last_position', 'bigint', (c) => c.notNull())
    .addColumn('claimed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('dispatched_at', 'timestamptz')
    .execute();
  await sql`create index outbox_batches_undispatched_idx on outbox_batches (id) where dispatched_at is null`.execute(db);

  await db.schema
    .createTable('outbox_events')
    .addColumn('position', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('event_id', 'uuid', (c) => c.notNull().unique())
    // The writing transaction's id. Rows are claimed only once every transaction that could
    // still insert an earlier row has finished (tx_id < snapshot xmin): a gap-safe total order.
    .addColumn('tx_id', sql`xid8`, (c) => c.notNull().defaultTo(sql`pg_current_xact_id()`))
    .addColumn('aggregate_type', 'text', (c) => c.notNull())
    .addColumn('aggregate_id', 'uuid', (c) => c.notNull())
    .addColumn('aggregate_version', 'integer', (c) => c.notNull())
    .addColumn('event_type', 'text', (c) => c.notNull())
    .addColumn('payload', 'jsonb', (c) => c.notNull())
    .addColumn('occurred_at', 'timestamptz', (c) => c.notNull())
    .addColumn('batch_id', 'bigint', (c) => c.references('outbox_batches.id'))
    .addUniqueConstraint('outbox_events_aggregate_version_uq', ['aggregate_id', 'aggregate_version'])
    .execute();
  // Keeps the relay's scan proportional to the backlog, not to the history.
  await sql`create index outbox_events_unclaimed_idx on outbox_events (tx_id, position) where batch_id is null`.execute(db);
  await sql`create index outbox_events_batch_idx on outbox_events (batch_id)`.execute(db);

  // The relay LISTENs; a statement-level trigger wakes it once per committing statement.
  await sql`
    create function notify_outbox_events() returns trigger language plpgsql as $$
    begin
      perform pg_notify('outbox_events', '');
      return null;
    end $$`.execute(db);
  await sql`
    create trigger outbox_events_notify after insert on outbox_events
    for each statement execute function notify_outbox_events()`.execute(db);

  await db.schema
    .createTable('idempotency_keys')
    .addColumn('caller', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('request_hash', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('in_flight', 'completed')`))
    .addColumn('response_status', 'integer')
    .addColumn('response_headers', 'jsonb')
    .addColumn('response_body', 'jsonb')
    // An in-flight claim older than this was abandoned by a crashed process and may be retaken.
    .addColumn('locked_until', 'timestamptz', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('idempotency_keys_pk', ['caller', 'key'])
    .execute();
  await db.schema.createIndex('idempotency_keys_expiry_idx').on('idempotency_keys').column('expires_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('idempotency_keys').execute();
  await db.schema.dropTable('outbox_events').execute();
  await sql`drop function notify_outbox_events()`.execute(db);
  await db.schema.dropTable('outbox_batches').execute();
  await db.schema.dropTable('outbox_instance').execute();
  await db.schema.dropTable('order_items').execute();
  await db.schema.dropTable('orders').execute();
  await db.schema.dropTable('products').execute();
}
