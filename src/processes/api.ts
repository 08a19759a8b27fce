import type { Client } from '@temporalio/client';
import type { AppConfig } from '../config.js';
import { createDb, createPool, type Db } from '../db/database.js';
import { buildApp } from '../http/app.js';
import { purgeExpiredKeys } from '../idempotency/store.js';
import { lazyTemporalClient, startRebuild } from '../read-models/rebuild/start.js';
import type { RebuildStarter } from '../read-models/rebuild/routes.js';
import { createSearchClient, type SearchClient } from '../search/client.js';
import type { Log } from './log.js';
import { prepareStorage } from './storage.js';

export interface ApiOptions {
  databaseUrl: string;
  opensearchUrl: string;
  /** Where rebuild workflows are started; without it POST /ops/read-models/{name}/rebuild answers 503. */
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

function rebuildStarter(db: Db, config: AppConfig, temporal: () => Promise<Client>): RebuildStarter {
  const settings = { taskQueue: config.taskQueue, ...config.rebuild };
  return { start: async (readModel) => startRebuild(await temporal(), db, readModel, settings) };
}

/** The HTTP API (commands and reads) with its own pool and search client. */
export async function startApi(options: ApiOptions): Promise<ApiProcess> {
  const { config, log } = options;
  const db = createDb(createPool({ connectionString: options.databaseUrl, maxConnections: 30, applicationName: 'cqrs-orders-api' }));
  const search = createSearchClient(options.opensearchUrl);
  const searchIndexPrefix = config.searchIndexPrefix;
  const temporal = options.temporalAddress ? lazyTemporalClient(options.temporalAddress, config.temporalNamespace) : null;
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
    db, search, searchIndexPrefix, apiTokens: config.apiTokens, databaseUrl: options.databaseUrl,
    idempotencyRetentionMs: config.idempotencyRetentionMs, timeouts: config.httpTimeouts, logger: options.httpLogger ?? true,
    ...(temporal ? { rebuilds: rebuildStarter(db, config, temporal.get) } : {}),
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
