import { sql, type Kysely } from 'kysely';

/**
 * Lets the relay's periodic sweep tell a batch whose workflow finished from one Temporal no
 * longer knows, and flag a batch whose workflow id is taken by another batch's run.
 * Frozen in time: never import app code.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('outbox_batches')
    // When the batch's workflow closed, as the relay or its sweep observed it.
    .addColumn('completed_at', 'timestamptz')
    // Why the batch cannot be dispatched (its workflow id belongs to another batch's run).
    .addColumn('dispatch_error', 'text')
    .execute();
  // Batches dispatched before this migration are trusted to have run; the sweep checks only new ones.
  await sql`update outbox_batches set completed_at = dispatched_at where dispatched_at is not null`.execute(db);
  // The sweep scans only unfinished batches, however long the history grows.
  await sql`create index outbox_batches_incomplete_idx on outbox_batches (id) where completed_at is null and dispatch_error is null`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index outbox_batches_incomplete_idx`.execute(db);
  await db.schema.alterTable('outbox_batches').dropColumn('dispatch_error').dropColumn('completed_at').execute();
}
