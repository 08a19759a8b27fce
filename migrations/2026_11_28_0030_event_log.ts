import { sql, type Kysely } from 'kysely';

/**
 * The full event log, kept apart from the outbox the relay works on: dispatched events whose
 * batch completed and every read model has passed move from `outbox_events` into `event_log`,
 * partitioned by range of log position (partitions are created ahead by the mover).
 * `outbox_log_events` reads both as one log. Frozen in time: never import app code.
 */
export async function up(db: Kysely<any>): Promise<void> {
  // The columns of outbox_events, in its order, so rows move with `select *` either way.
  await sql`
    create table event_log (
      position bigint not null,
      event_id uuid not null,
      tx_id xid8 not null,
      aggregate_type text not null,
      aggregate_id uuid not null,
      aggregate_version integer not null,
      event_type text not null,
      payload jsonb not null,
      occurred_at timestamptz not null,
      batch_id bigint not null,
      log_position bigint not null,
      primary key (log_position)
    ) partition by range (log_position)`.execute(db);
  // A unique index must contain the partition key, so event ids and order versions are only
  // indexed here; they are unique because the write side hands them out under the order's row
  // lock and version guard, and they were unique in outbox_events when the rows moved.
  await sql`create index event_log_event_id_idx on event_log (event_id)`.execute(db);
  await sql`create index event_log_aggregate_version_idx on event_log (aggregate_id, aggregate_version)`.execute(db);
  await sql`
    create view outbox_log_events as
      select * from outbox_events
      union all
      select * from event_log`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop view outbox_log_events`.execute(db);
  await sql`drop table event_log`.execute(db);
}
