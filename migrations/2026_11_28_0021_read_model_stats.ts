import { type Kysely } from 'kysely';

/**
 * Counters per read model, kept beside its checkpoint so that every API process, and one
 * restarted, reports the same numbers: events applied, activity retries, and the last error
 * (an error type, SQLSTATE or constraint name, never a value). Frozen in time: never import app code.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('read_model_checkpoints')
    .addColumn('applied_total', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('retries_total', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    .addColumn('last_error_at', 'timestamptz')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('read_model_checkpoints')
    .dropColumn('applied_total')
    .dropColumn('retries_total')
    .dropColumn('last_error')
    .dropColumn('last_error_at')
    .execute();
}
