import type { Migration } from 'kysely/migration';
import { agentTimeline } from './agent-timeline/index.js';
import { customerHistory } from './customer-history/index.js';
import { opsDashboard } from './ops-dashboard/index.js';
import { orderStatus } from './order-status/index.js';
import type { ReadModel } from './read-model.js';
import { supportSearch } from './support-search/index.js';

/**
 * Every read model. The relay names them in each batch workflow's input, the worker builds
 * one generic activity over them, the app registers their routes and the migrator runs
 * their migrations: adding a read model is a folder and a line here.
 */
export const readModels: readonly ReadModel[] = [orderStatus, customerHistory, supportSearch, agentTimeline, opsDashboard];

export function readModelNames(models: readonly ReadModel[] = readModels): string[] {
  return models.map((m) => m.name);
}

export function findReadModel(name: string, models: readonly ReadModel[] = readModels): ReadModel | undefined {
  return models.find((m) => m.name === name);
}

/** The read models' own migrations, merged; a name used twice is a bug and fails at start. */
export function readModelMigrations(models: readonly ReadModel[] = readModels): Record<string, Migration> {
  const all: Record<string, Migration> = {};
  for (const model of models) {
    for (const [name, migration] of Object.entries(model.migrations ?? {})) {
      if (name in all) throw new Error(`migration ${name} is declared by two read models`);
      all[name] = migration;
    }
  }
  return all;
}
