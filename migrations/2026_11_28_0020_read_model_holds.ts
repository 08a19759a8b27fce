import { sql, type Kysely } from 'kysely';

/**
 * Orders a read model stopped at: the event it could not apply and why (an error type or
 * SQLSTATE, never a value). A model that needs every event applies nothing later of a held
 * order until the held event is applied. Frozen in time: never import app code.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('read_model_holds')
    .addColumn('read_model', 'text', (c) => c.notNull())
    .addColumn('order_id', 'uuid', (c) => c.notNull())
    .addColumn('event_id', 'uuid', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('event_type', 'text', (c) => c.notNull())
    .addColumn('failure_type', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('since', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('read_model_holds_pk', ['read_model', 'order_id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('read_model_holds').execute();
}
