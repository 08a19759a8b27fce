import type { Migration } from 'kysely/migration';
import * as writeModel from './2026_11_26_0001_write_model.js';
import * as readModels from './2026_11_26_0002_read_models.js';
import * as productVersion from './2026_11_28_0001_product_version.js';
import * as batchCompletion from './2026_11_28_0002_batch_completion.js';
import * as readModelCheckpoints from './2026_11_28_0003_read_model_checkpoints.js';
import * as readModelHolds from './2026_11_28_0020_read_model_holds.js';
import * as readModelStats from './2026_11_28_0021_read_model_stats.js';
import * as eventLog from './2026_11_28_0030_event_log.js';
import * as readModelRebuiltAt from './2026_11_28_0040_read_model_rebuilt_at.js';
import * as flaggedBatchesIndex from './2026_11_28_0041_flagged_batches_index.js';

/**
 * The shared schema, by name; names sort in the order they must run. Each read model's own
 * tables are migrated from its folder (see src/read-models/registry.ts).
 */
export const migrations: Record<string, Migration> = {
  '2026_11_26_0001_write_model': writeModel,
  '2026_11_26_0002_read_models': readModels,
  '2026_11_28_0001_product_version': productVersion,
  '2026_11_28_0002_batch_completion': batchCompletion,
  '2026_11_28_0003_read_model_checkpoints': readModelCheckpoints,
  '2026_11_28_0020_read_model_holds': readModelHolds,
  '2026_11_28_0021_read_model_stats': readModelStats,
  '2026_11_28_0030_event_log': eventLog,
  '2026_11_28_0040_read_model_rebuilt_at': readModelRebuiltAt,
  '2026_11_28_0041_flagged_batches_index': flaggedBatchesIndex,
};
