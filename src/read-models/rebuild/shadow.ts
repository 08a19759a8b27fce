import { sql } from 'kysely';
import type { Db } from '../../db/database.js';
import type { ReadModel } from '../read-model.js';

/** Bookkeeping a replay writes besides the model's own tables, per model name. */
const BOOKKEEPING = [
  { table: 'processed_projection_events', column: 'projection' },
  { table: 'read_model_holds', column: 'read_model' },
  { table: 'read_model_checkpoints', column: 'read_model' },
] as const;

/** The schema a rebuild of `model` fills: `rebuild_order_status` for `order-status`. */
export function shadowSchema(model: ReadModel): string {
  return `rebuild_${model.name.replace(/[^a-z0-9]/g, '_')}`;
}

/** A PostgreSQL model that names its tables, or an OpenSearch model with a search rebuild. */
export function canRebuild(model: ReadModel): boolean {
  return model.store === 'postgres' ? Boolean(model.tables?.length) : Boolean(model.searchRebuild);
}

/** The model's own tables a shadow copies: none for an OpenSearch model (its shadow is an index). */
function shadowTables(model: ReadModel): readonly string[] {
  return model.store === 'postgres' ? rebuildableTables(model) : [];
}

export function rebuildableTables(model: ReadModel): readonly string[] {
  if (model.store !== 'postgres' || !model.tables || model.tables.length === 0) {
    throw new Error(`read model ${model.name} declares no PostgreSQL tables to rebuild`);
  }
  return model.tables;
}

/**
 * A fresh shadow schema holding empty copies of the model's tables (columns, defaults,
 * constraints and indexes) and of the ledger, holds and checkpoint tables. A connection whose
 * search_path starts with it makes the model's own `apply` write there, reading the outbox
 * from public. Any earlier, abandoned shadow is dropped first.
 */
export async function prepareShadowSchema(db: Db, model: ReadModel): Promise<void> {
  const schema = sql.id(shadowSchema(model));
  const tables = [...shadowTables(model), ...BOOKKEEPING.map((b) => b.table)];
  await db.transaction().execute(async (trx) => {
    await sql`drop schema if exists ${schema} cascade`.execute(trx);
    await sql`create schema ${schema}`.execute(trx);
    for (const table of tables) {
      await sql`create table ${schema}.${sql.id(table)} (like public.${sql.id(table)} including all)`.execute(trx);
    }
  });
}

/**
 * In one transaction: the shadow tables replace the live ones (readers see either the old
 * model or the new, never a mix or an empty one), the shadow's ledger, holds and checkpoint
 * replace the model's live ones, and the shadow schema goes. Run under the swap lock, once
 * the shadow has reached the head.
 */
export async function swapShadowIn(conn: Db, model: ReadModel): Promise<void> {
  const schema = sql.id(shadowSchema(model));
  for (const table of rebuildableTables(model)) await sql`analyze ${schema}.${sql.id(table)}`.execute(conn);
  await conn.transaction().execute(async (trx) => {
    for (const table of rebuildableTables(model)) {
      await sql`drop table public.${sql.id(table)}`.execute(trx);
      await sql`alter table ${schema}.${sql.id(table)} set schema public`.execute(trx);
    }
    await swapBookkeepingIn(trx, model);
  });
}

/**
 * In the caller's transaction: the shadow's ledger, holds and checkpoint replace the model's
 * live ones, the checkpoint records when (so that batches which failed before are known to
 * be moot), and the shadow schema goes.
 */
export async function swapBookkeepingIn(trx: Db, model: ReadModel): Promise<void> {
  const schema = sql.id(shadowSchema(model));
  for (const { table, column } of BOOKKEEPING) {
    await sql`delete from public.${sql.id(table)} where ${sql.id(column)} = ${model.name}`.execute(trx);
    await sql`insert into public.${sql.id(table)} select * from ${schema}.${sql.id(table)} where ${sql.id(column)} = ${model.name}`.execute(trx);
  }
  await sql`
    insert into public.read_model_checkpoints (read_model, position, rebuilt_at) values (${model.name}, 0, now())
    on conflict (read_model) do update set rebuilt_at = excluded.rebuilt_at`.execute(trx);
  await sql`drop schema ${schema} cascade`.execute(trx);
}

/** False once a swap has committed (it drops the shadow schema), or before any prepare. */
export async function shadowSchemaExists(db: Db, model: ReadModel): Promise<boolean> {
  const { rows } = await sql`select 1 from information_schema.schemata where schema_name = ${shadowSchema(model)}`.execute(db);
  return rows.length > 0;
}

/** Drops the shadow of a rebuild that will not finish. */
export async function dropShadowSchema(db: Db, model: ReadModel): Promise<void> {
  await sql`drop schema if exists ${sql.id(shadowSchema(model))} cascade`.execute(db);
}
