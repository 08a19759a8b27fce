import { sql, type Kysely } from 'kysely';

/**
 * Batches flagged for an operator (`dispatch_error`), counted on every metrics scrape: a
 * partial index keeps that count as cheap as the other backlog gauges however many batches
 * the outbox has seen. Frozen in time: never import app code.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index outbox_batches_flagged_idx on outbox_batches (id) where dispatch_error is not null`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index outbox_batches_flagged_idx`.execute(db);
}
