import type { Migration } from 'kysely/migration';
import * as writeModel from './2026_11_26_0001_write_model.js';
import * as readModels from './2026_11_26_0002_read_models.js';
import * as batchCompletion from './2026_11_28_0002_batch_completion.js';

/** Every migration, by name; names sort in the order they must run. */
export const migrations: Record<string, Migration> = {
  '2026_11_26_0001_write_model': writeModel,
  '2026_11_26_0002_read_models': readModels,
  '2026_11_28_0002_batch_completion': batchCompletion,
};
