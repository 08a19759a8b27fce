import { upsertProduct, type ProductInput } from './commands/products.js';
import { createDb, createPool } from './db/database.js';
import { migrateToLatest } from './db/migrate.js';
import { postgresService } from './stack/postgres.js';
import { provide } from './stack/service.js';

/** A small catalog to place orders against: `npm run seed`, safe to repeat (it resets stock). */
export const SEED_PRODUCTS: ProductInput[] = [
  { sku: 'LAMP-01', name: 'Desk lamp', priceCents: 3_900, currency: 'USD', stock: 500 },
  { sku: 'MUG-01', name: 'Stoneware mug', priceCents: 1_450, currency: 'USD', stock: 2_000 },
  { sku: 'CHAIR-01', name: 'Office chair', priceCents: 18_900, currency: 'USD', stock: 50 },
  { sku: 'BOOK-DDD', name: 'Domain-Driven Design', priceCents: 5_499, currency: 'USD', stock: 300 },
  { sku: 'LAST-ONE', name: 'The last one in stock', priceCents: 9_999, currency: 'USD', stock: 1 },
  { sku: 'TEE-EU', name: 'T-shirt (EU shop)', priceCents: 2_500, currency: 'EUR', stock: 1_000 },
];

async function main(): Promise<void> {
  // Uses DATABASE_URL, or the project's own PostgreSQL (started for the seed if it is not running).
  const postgres = await provide(postgresService(), (line) => console.log(line), new AbortController().signal);
  const db = createDb(createPool({ connectionString: postgres.endpoints.databaseUrl, maxConnections: 2 }));
  try {
    await migrateToLatest(db);
    for (const product of SEED_PRODUCTS) {
      const { created } = await upsertProduct(db, product);
      console.log(`${created ? 'created' : 'updated'} ${product.sku} (stock ${product.stock})`);
    }
  } finally {
    await db.destroy();
    await postgres.stop();
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
