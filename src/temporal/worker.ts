import { fileURLToPath } from 'node:url';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import type pg from 'pg';
import { createArchiveActivities } from '../../activities/archive-activities.js';
import { createReadModelActivities } from '../../activities/read-model-activities.js';
import { createRebuildActivities } from '../../activities/rebuild-activities.js';
import type { ReadModel, ReadModelDeps } from '../read-models/read-model.js';

const workflowsPath = fileURLToPath(new URL('../../workflows/index.ts', import.meta.url));

/**
 * Workflow sources import each other with `.js` suffixes (ESM); the bundler must map those
 * back to the `.ts` files it is given.
 */
export const bundlerOptions: WorkerOptions['bundlerOptions'] = {
  webpackConfigHook: (config) => {
    config.resolve = { ...config.resolve, extensionAlias: { '.js': ['.ts', '.js'] } };
    return config;
  },
};

export interface ProjectionWorkerOptions extends ReadModelDeps {
  /** The registry: one generic activity applies a batch to any of these by name. */
  readModels: readonly ReadModel[];
  temporalAddress: string;
  namespace: string;
  taskQueue: string;
  /** A prebuilt bundle (tests build one and share it); bundled from source when absent. */
  workflowBundle?: { code: string };
  /** With both, the worker also runs rebuilds; live applies then take the model's shared rebuild lock. */
  rebuild?: { databaseUrl: string; locks: pg.Pool };
}

function activitiesOf(options: ProjectionWorkerOptions) {
  const live = {
    ...createReadModelActivities(options, options.readModels, options.rebuild?.locks),
    ...createArchiveActivities(options.db, options.readModels.map((m) => m.name)),
  };
  if (!options.rebuild) return live;
  return { ...live, ...createRebuildActivities(options, options.readModels, options.rebuild.databaseUrl) };
}

export async function createProjectionWorker(options: ProjectionWorkerOptions): Promise<{ worker: Worker; close(): Promise<void> }> {
  const connection = await NativeConnection.connect({ address: options.temporalAddress });
  const workflowSource = options.workflowBundle
    ? { workflowBundle: options.workflowBundle }
    : { workflowsPath, bundlerOptions };
  const worker = await Worker.create({
    connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    ...workflowSource,
    activities: activitiesOf(options),
  });
  return { worker, close: () => connection.close() };
}

export { workflowsPath };
