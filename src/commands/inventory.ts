import { sql, type Transaction } from 'kysely';
import type { Database, Product } from '../db/schema.js';

type Trx = Transaction<Database>;

/**
 * Locks the products of an order in SKU order (a fixed order, so two orders for the same
 * products cannot deadlock). Whoever holds the locks sees the true stock: of N concurrent
 * orders for the last unit, exactly one finds it.
 */
export async function lockProducts(trx: Trx, skus: readonly string[]): Promise<Map<string, Product>> {
  const unique = [...new Set(skus)].sort();
  if (unique.length === 0) return new Map();
  const rows = await trx.selectFrom('products').selectAll().where('sku', 'in', unique).orderBy('sku').forUpdate().execute();
  return new Map(rows.map((row) => [row.sku, row]));
}

/**
 * Applies stock changes (cancellations return their items to stock). The rows are locked in
 * SKU order first, like lockProducts: an update joined with the changes would lock them in
 * whatever order its plan visits them, and deadlock with an order placed over the same SKUs.
 */
export async function adjustStock(trx: Trx, changes: ReadonlyArray<{ sku: string; delta: number }>): Promise<void> {
  if (changes.length === 0) return;
  await lockProducts(trx, changes.map((c) => c.sku));
  await sql`
    update products set stock = products.stock + c.delta, updated_at = now()
    from (
      select sku, sum(delta) as delta
      from jsonb_to_recordset(${JSON.stringify(changes)}::jsonb) as c(sku text, delta integer)
      group by sku
    ) c
    where products.sku = c.sku`.execute(trx);
}
