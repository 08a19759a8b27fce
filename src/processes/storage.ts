import type { Db } from '../db/database.js';
import { migrateToLatest } from '../db/migrate.js';
import type { ReadModelDeps } from '../read-models/read-model.js';
import { readModels } from '../read-models/registry.js';

/**
 * Every process brings the schema and the read models' storage up to date before it serves:
 * kysely's migrator serializes concurrent runs on a lock, and index creation tolerates a
 * concurrent creator, so processes may start in any order and any number.
 */
export async function prepareStorage(db: Db, deps: ReadModelDeps): Promise<void> {
  await migrateToLatest(db);
  for (const model of readModels) await model.ensureStorage?.(deps);
}
