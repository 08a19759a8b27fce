import { sql, type Kysely } from 'kysely';

/**
 * Products get a version, the ETag of PUT /products/{sku}. A trigger bumps it on every update,
 * so that stock moved by orders and cancellations changes it too: an operator's conditional
 * PUT based on an older read then gets 412 instead of overwriting the newer stock.
 * Frozen in time: never import app code.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('products')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1).check(sql`version >= 1`))
    .execute();
  await sql`
    create function bump_product_version() returns trigger language plpgsql as $$
    begin
      new.version := old.version + 1;
      return new;
    end $$`.execute(db);
  await sql`
    create trigger products_bump_version before update on products
    for each row execute function bump_product_version()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger products_bump_version on products`.execute(db);
  await sql`drop function bump_product_version()`.execute(db);
  await db.schema.alterTable('products').dropColumn('version').execute();
}
