import type { Client } from '@temporalio/client';
import type { AppConfig } from './config.js';
import type { Db } from './db/database.js';
import { startApi, type ApiProcess } from './processes/api.js';
import { startRelayProcess, type RelayProcess } from './processes/relay.js';
import { startWorker, type WorkerProcess } from './processes/worker.js';
import type { SearchClient } from './search/client.js';

export interface RuntimeOptions {
  databaseUrl: string;
  temporalAddress: string;
  opensearchUrl: string;
  config: AppConfig;
  /** Start the HTTP API on config.httpPort (0 picks a free port). */
  http?: boolean;
  workflowBundle?: { code: string };
  log?: (line: string, fields?: Record<string, unknown>) => void;
  httpLogger?: boolean;
}

export interface Runtime {
  db: Db;
  search: SearchClient;
  temporal: Client;
  searchIndexPrefix: string;
  url: string | null;
  /** Stop and restart only the relay (operators pausing dispatch; tests simulating a crash). */
  stopRelay(): Promise<void>;
  startRelay(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The API, the projection worker and the relay in one process: what `npm start` runs. Each
 * part owns its connections; `npm run api|relay|worker` run the same parts one per process.
 */
export async function startRuntime(options: RuntimeOptions): Promise<Runtime> {
  const log = options.log ?? (() => undefined);
  const started: Array<{ stop(): Promise<void> }> = [];
  try {
    const api: ApiProcess = await startApi({ ...options, log });
    started.push(api);
    const worker: WorkerProcess = await startWorker({ ...options, log });
    started.push(worker);
    const relay: RelayProcess = await startRelayProcess({ ...options, log });
    return {
      db: api.db, search: api.search, temporal: relay.temporal, searchIndexPrefix: options.config.searchIndexPrefix, url: api.url,
      stopRelay: () => relay.stopRelay(),
      startRelay: () => relay.startRelay(),
      // API first (no new events), then the relay (no new batches), then the worker.
      async stop() {
        await api.stop();
        await relay.stop();
        await worker.stop();
      },
    };
  } catch (error) {
    for (const part of started.reverse()) await part.stop().catch(() => undefined);
    throw error;
  }
}
