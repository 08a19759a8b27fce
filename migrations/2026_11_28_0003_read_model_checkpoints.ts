import { sql, type Kysely } from 'kysely';

/**
 * Read model checkpoints. The outbox `position` is an identity that transactions take before
 * they commit, so rows commit out of sequence; the relay's claim order is the gap-safe one.
 * `log_position` numbers events densely in that claim order, and each read model's checkpoint
 * is the highest log position below which it has applied every event.
 * Frozen in time: never import app code.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('outbox_log')
    .addColumn('singleton', 'boolean', (c) => c.primaryKey().defaultTo(true).check(sql`singleton`))
    .addColumn('head', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable('outbox_events').addColumn('log_position', 'bigint').execute();
  // Events claimed before this migration get their positions in the order they were claimed.
  await sql`
    update outbox_events e set log_position = claimed.n
    from (select position, row_number() over (order by batch_id, tx_id, position) as n
          from outbox_events where batch_id is not null) claimed
    where e.position = claimed.position`.execute(db);
  await sql`insert into outbox_log (head) select coalesce(max(log_position), 0) from outbox_events`.execute(db);
  await sql`create unique index outbox_events_log_position_uq on outbox_events (log_position)`.execute(db);

  // The ledger names read models as the registry does; support search had no ledger before,
  // and ran in the same batch workflows as order_summary, whose ledger stands in for it.
  await sql`update processed_projection_events set projection = 'order-status' where projection = 'order_summary'`.execute(db);
  await sql`
    insert into processed_projection_events (projection, event_id, aggregate_id, aggregate_version, processed_at)
    select 'support-search', event_id, aggregate_id, aggregate_version, processed_at
    from processed_projection_events where projection = 'order-status'
    on conflict do nothing`.execute(db);

  await db.schema
    .createTable('read_model_checkpoints')
    .addColumn('read_model', 'text', (c) => c.primaryKey())
    .addColumn('position', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('read_model_checkpoints').execute();
  await sql`delete from processed_projection_events where projection = 'support-search'`.execute(db);
  await sql`update processed_projection_events set projection = 'order_summary' where projection = 'order-status'`.execute(db);
  await db.schema.alterTable('outbox_events').dropColumn('log_position').execute();
  await db.schema.dropTable('outbox_log').execute();
}
