import type { Kysely } from 'kysely';
import { Migrator, type Migration, type MigrationProvider } from 'kysely/migration';
import { migrations } from '../../migrations/index.js';
import { readModelMigrations } from '../read-models/registry.js';

/**
 * The shared migrations and every registered read model's own; kysely runs them in name
 * order, so read model migrations carry timestamps later than the shared ones they build on.
 */
export function allMigrations(): Record<string, Migration> {
  return { ...migrations, ...readModelMigrations() };
}

const provider: MigrationProvider = { getMigrations: async () => allMigrations() };

/** Brings the schema to the latest migration; throws with the failing migration's name. */
export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  const migrator = new Migrator({ db, provider });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error) {
    const where = failed ? ` (migration ${failed.migrationName})` : '';
    throw new Error(`migration failed${where}: ${error instanceof Error ? error.message : String(error)}`);
  }
  return (results ?? []).map((r) => r.migrationName);
}
