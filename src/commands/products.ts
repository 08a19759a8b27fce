import { sql, type Kysely } from 'kysely';
import type { Database, Product } from '../db/schema.js';

export interface ProductInput {
  sku: string;
  name: string;
  priceCents: number;
  currency: string;
  stock: number;
}

/** Creates or replaces a product (operators manage the catalog). Returns whether it was new. */
export async function upsertProduct(db: Kysely<Database>, input: ProductInput): Promise<{ product: Product; created: boolean }> {
  const row = await db
    .insertInto('products')
    .values({ sku: input.sku, name: input.name, price_cents: input.priceCents, currency: input.currency, stock: input.stock })
    .onConflict((oc) =>
      oc.column('sku').doUpdateSet((eb) => ({
        name: eb.ref('excluded.name'),
        price_cents: eb.ref('excluded.price_cents'),
        currency: eb.ref('excluded.currency'),
        stock: eb.ref('excluded.stock'),
        updated_at: new Date(),
      })),
    )
    // xmax = 0 only on a fresh insert: the cheapest way to tell created from replaced.
    .returning(['sku', 'name', 'price_cents', 'currency', 'stock', 'updated_at', sql<boolean>`xmax = 0`.as('created')])
    .executeTakeFirstOrThrow();
  const { created, ...product } = row;
  return { product, created };
}
