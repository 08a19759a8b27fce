import type { AppConfig } from '../config.js';
import { createDb, createPool } from '../db/database.js';
import { readModels } from '../read-models/registry.js';
import { createSearchClient } from '../search/client.js';
import { createProjectionWorker } from '../temporal/worker.js';
import type { Log } from './log.js';
import { prepareStorage } from './storage.js';

export interface WorkerOptions {
  databaseUrl: string;
  temporalAddress: string;
  opensearchUrl: string;
  config: AppConfig;
  workflowBundle?: { code: string };
  log: Log;
}

export interface WorkerProcess {
  /** Settles when the worker stops, on its own (a fatal error) or through stop(). */
  readonly done: Promise<void>;
  stop(): Promise<void>;
}

/** A projection worker polling the task queue; any number of them share it. */
export async function startWorker(options: WorkerOptions): Promise<WorkerProcess> {
  const { config } = options;
  const db = createDb(createPool({ connectionString: options.databaseUrl, maxConnections: 10, applicationName: 'cqrs-orders-worker' }));
  const search = createSearchClient(options.opensearchUrl);
  const deps = { db, search, searchIndexPrefix: config.searchIndexPrefix };
  // Holds one connection per running apply (its shared rebuild lock), apart from the applies' own pool.
  const locks = createPool({ connectionString: options.databaseUrl, maxConnections: 10, applicationName: 'cqrs-orders-worker-locks' });
  const close = async () => {
    await search.close();
    await db.destroy();
    await locks.end();
  };
  let created;
  try {
    await prepareStorage(db, deps);
    created = await createProjectionWorker({
      ...deps, readModels,
      rebuild: { databaseUrl: options.databaseUrl, locks },
      temporalAddress: options.temporalAddress,
      namespace: config.temporalNamespace,
      taskQueue: config.taskQueue,
      ...(options.workflowBundle ? { workflowBundle: options.workflowBundle } : {}),
    });
  } catch (error) {
    await close();
    throw error;
  }
  const { worker, close: closeConnection } = created;
  const done = worker.run().finally(async () => {
    await closeConnection();
    await close();
  });
  return {
    done,
    async stop() {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await done;
    },
  };
}
