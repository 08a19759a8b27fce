import { type Kysely } from 'kysely';

/**
 * When a rebuild of the read model last swapped in. A batch that failed for the model before
 * then is moot (the rebuild replayed every event it held), so the status leaves it out.
 * Frozen in time: never import app code.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('read_model_checkpoints').addColumn('rebuilt_at', 'timestamptz').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('read_model_checkpoints').dropColumn('rebuilt_at').execute();
}
