import { Client, Connection } from '@temporalio/client';
import type { AppConfig } from './config.js';
import { createDb, createPool, type Db } from './db/database.js';
import { migrateToLatest } from './db/migrate.js';
import { buildApp } from './http/app.js';
import { purgeExpiredKeys } from './idempotency/store.js';
import { OutboxRelay } from './relay/outbox-relay.js';
import type { ReadModelDeps } from './read-models/read-model.js';
import { readModels } from './read-models/registry.js';
import { createSearchClient, type SearchClient } from './search/client.js';
import { createProjectionWorker } from './temporal/worker.js';

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

const PURGE_INTERVAL_MS = 60_000;

/** Wires the write side, relay, projection worker and read side into one process. */
export async function startRuntime(options: RuntimeOptions): Promise<Runtime> {
  const { config } = options;
  const log = options.log ?? (() => undefined);
  const pool = createPool({ connectionString: options.databaseUrl, maxConnections: 30 });
  const db = createDb(pool);
  await migrateToLatest(db);

  const search = createSearchClient(options.opensearchUrl);
  const searchIndexPrefix = config.searchIndexPrefix;
  const deps: ReadModelDeps = { db, search, searchIndexPrefix };
  for (const model of readModels) await model.ensureStorage?.(deps);

  const connection = await Connection.connect({ address: options.temporalAddress });
  const temporal = new Client({ connection, namespace: config.temporalNamespace });
  const { worker, close: closeWorker } = await createProjectionWorker({
    ...deps, readModels,
    temporalAddress: options.temporalAddress,
    namespace: config.temporalNamespace,
    taskQueue: config.taskQueue,
    ...(options.workflowBundle ? { workflowBundle: options.workflowBundle } : {}),
  });
  const workerRun = worker.run();

  const newRelay = () => new OutboxRelay({
    db, databaseUrl: options.databaseUrl, temporal, taskQueue: config.taskQueue,
    maxBatchSize: config.relay.maxBatchSize, maxOrdersPerBatch: config.relay.maxOrdersPerBatch, maxInFlight: config.relay.maxInFlight,
    pollIntervalMs: config.relay.pollIntervalMs, lingerMs: config.relay.lingerMs,
    sweepIntervalMs: config.relay.sweepIntervalMs, sweepAgeMs: config.relay.sweepAgeMs, log,
  });
  let relay: OutboxRelay | null = newRelay();
  await relay.start();

  const purge = setInterval(() => void purgeExpiredKeys(db).catch((e) => log('idempotency purge failed', { error: String(e) })), PURGE_INTERVAL_MS);
  purge.unref();

  let url: string | null = null;
  const app = options.http === false ? null : buildApp({
    db, search, searchIndexPrefix, apiTokens: config.apiTokens, databaseUrl: options.databaseUrl,
    idempotencyRetentionMs: config.idempotencyRetentionMs, timeouts: config.httpTimeouts, logger: options.httpLogger ?? true,
  });
  if (app) url = await app.listen({ host: config.httpHost, port: config.httpPort });

  return {
    db, search, temporal, searchIndexPrefix, url,
    async stopRelay() {
      await relay?.stop();
      relay = null;
    },
    async startRelay() {
      if (relay) return;
      // Recorded only once started: after a failed start, the next call tries again.
      const started = newRelay();
      await started.start();
      relay = started;
    },
    async stop() {
      clearInterval(purge);
      await app?.close();
      await relay?.stop();
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await workerRun;
      await closeWorker();
      await connection.close();
      await search.close();
      await db.destroy();
    },
  };
}
