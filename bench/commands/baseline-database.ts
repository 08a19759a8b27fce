import { upsertProduct } from '../../src/commands/products.js';
import { createDb, createPool } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { createScratchDatabase, type ScratchDatabase } from '../support/services.js';

/**
 * pgbench's own database: the app's real schema (migrations, indexes, the outbox NOTIFY
 * trigger) and the same catalog, but no relay or worker reading from it.
 */
export async function createBaselineDatabase(serverUrl: string, skus: readonly string[]): Promise<ScratchDatabase> {
  const database = await createScratchDatabase(serverUrl);
  const db = createDb(createPool({ connectionString: database.url, maxConnections: 2 }));
  try {
    await migrateToLatest(db);
    for (const [i, sku] of skus.entries()) {
      await upsertProduct(db, { sku, name: `Bench product ${i}`, priceCents: 1_000 + 250 * i, currency: 'USD', stock: 1_000_000_000 });
    }
  } catch (error) {
    await db.destroy();
    await database.drop().catch(() => undefined);
    throw error;
  }
  await db.destroy();
  return database;
}
