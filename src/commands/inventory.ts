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

export async function adjustStock(trx: Trx, changes: ReadonlyArray<{ sku: string; delta: number }>): Promise<void> {
  for (const { sku, delta } of [...changes].sort((a, b) => a.sku.localeCompare(b.sku))) {
    await trx
      .updateTable('products')
      .set({ stock: sql`stock + ${delta}`, updated_at: sql`now()` })
      .where('sku', '=', sku)
      .execute();
  }
}
