import type { Client } from '@temporalio/client';
import type { AppConfig } from '../config.js';
import { createDb, createPool, type Db } from '../db/database.js';
import { buildApp } from '../http/app.js';
import { purgeExpiredKeys } from '../idempotency/store.js';
import { startRebuild } from '../read-models/rebuild/start.js';
import type { RebuildStarter } from '../read-models/rebuild/routes.js';
import { createSearchClient, type SearchClient } from '../search/client.js';
import type { Log } from './log.js';
import { temporalViewOf } from '../read-models/status/failed-batches.js';
import { prepareStorage } from './storage.js';

export interface ApiOptions {
  databaseUrl: string;
  opensearchUrl: string;
  /** Temporal: read for failed batches (GET /ops/read-models) and where rebuilds start, over one connection made lazily, so the API starts without it. */
  temporalAddress?: string;
  config: AppConfig;
  /** Listen on config.httpPort (0 picks a free port); false builds the process without a listener. */
  http?: boolean;
  httpLogger?: boolean;
  log: Log;
}

export interface ApiProcess {
  db: Db;
  search: SearchClient;
  url: string | null;
  stop(): Promise<void>;
}

const PURGE_INTERVAL_MS = 60_000;

function temporalView(address: string | undefined, config: AppConfig) {
  if (!address) return null;
  return temporalViewOf(address, { namespace: config.temporalNamespace, taskQueue: config.taskQueue, uiUrl: config.temporalUiUrl });
}

function rebuildStarter(db: Db, config: AppConfig, temporal: Client): RebuildStarter {
  const settings = { taskQueue: config.taskQueue, ...config.rebuild };
  return { start: (readModel) => startRebuild(temporal, db, readModel, settings) };
}

/** The HTTP API (commands and reads) with its own pool and search client. */
export async function startApi(options: ApiOptions): Promise<ApiProcess> {
  const { config, log } = options;
  const db = createDb(createPool({ connectionString: options.databaseUrl, maxConnections: 30, applicationName: 'cqrs-orders-api' }));
  const search = createSearchClient(options.opensearchUrl);
  const searchIndexPrefix = config.searchIndexPrefix;
  const temporal = temporalView(options.temporalAddress, config);
  const close = async () => {
    await temporal?.close();
    await search.close();
    await db.destroy();
  };
  try {
    await prepareStorage(db, { db, search, searchIndexPrefix });
  } catch (error) {
    await close();
    throw error;
  }
  const purge = setInterval(() => void purgeExpiredKeys(db).catch((e) => log('idempotency purge failed', { error: String(e) })), PURGE_INTERVAL_MS);
  purge.unref();
  const app = options.http === false ? null : buildApp({
    db, search, searchIndexPrefix, apiTokens: config.apiTokens, databaseUrl: options.databaseUrl, temporal: temporal?.view,
    idempotencyRetentionMs: config.idempotencyRetentionMs, timeouts: config.httpTimeouts, logger: options.httpLogger ?? true,
    // The status view's connection also starts rebuilds: one Temporal connection per API process.
    ...(temporal ? { rebuilds: rebuildStarter(db, config, temporal.view.client) } : {}),
  });
  const url = app ? await app.listen({ host: config.httpHost, port: config.httpPort }) : null;
  return {
    db, search, url,
    async stop() {
      clearInterval(purge);
      await app?.close();
      await close();
    },
  };
}
