import { Client, Connection } from '@temporalio/client';
import type { AppConfig } from '../config.js';
import { createDb, createPool, type Db } from '../db/database.js';
import { migrateToLatest } from '../db/migrate.js';
import { readOutboxId } from '../relay/claim.js';
import { LeaderRelay } from '../relay/leader.js';
import { OutboxRelay } from '../relay/outbox-relay.js';
import { ensureArchiveSchedule } from '../temporal/archive-schedule.js';
import type { Log } from './log.js';

export interface RelayProcessOptions {
  databaseUrl: string;
  temporalAddress: string;
  config: AppConfig;
  log: Log;
}

export interface RelayProcess {
  temporal: Client;
  /** Whether this process's relay is the one moving batches now. */
  readonly leading: boolean;
  /** Stop and restart only the relay (operators pausing dispatch; tests simulating a crash). */
  stopRelay(): Promise<void>;
  startRelay(): Promise<void>;
  stop(): Promise<void>;
}

/** Every relay makes sure the outbox's archive schedule exists; the first one creates it. */
async function scheduleArchive(db: Db, temporal: Client, config: AppConfig, log: Log): Promise<void> {
  if (config.archiveIntervalMs === null) return;
  const outboxId = await readOutboxId(db);
  const outcome = await ensureArchiveSchedule(temporal, { outboxId, taskQueue: config.taskQueue, intervalMs: config.archiveIntervalMs });
  log('outbox archive schedule', { outcome, intervalMs: config.archiveIntervalMs });
}

/**
 * The outbox relay, under leader election: any number of these run, one leads (claims,
 * dispatches, sweeps), the others stand by to take over.
 */
export async function startRelayProcess(options: RelayProcessOptions): Promise<RelayProcess> {
  const { config, log } = options;
  const db = createDb(createPool({ connectionString: options.databaseUrl, maxConnections: 8, applicationName: 'cqrs-orders-relay' }));
  let connection: Connection;
  try {
    await migrateToLatest(db);
    connection = await Connection.connect({ address: options.temporalAddress });
  } catch (error) {
    await db.destroy();
    throw error;
  }
  const temporal = new Client({ connection, namespace: config.temporalNamespace });
  try {
    await scheduleArchive(db, temporal, config, log);
  } catch (error) {
    await connection.close();
    await db.destroy();
    throw error;
  }
  const newLeader = () => new LeaderRelay({
    databaseUrl: options.databaseUrl, retryMs: config.relayLeader.retryMs, checkMs: config.relayLeader.checkMs, log,
    createRelay: (isLeader) => new OutboxRelay({
      db, databaseUrl: options.databaseUrl, temporal, taskQueue: config.taskQueue,
      maxBatchSize: config.relay.maxBatchSize, maxOrdersPerBatch: config.relay.maxOrdersPerBatch, maxInFlight: config.relay.maxInFlight,
      pollIntervalMs: config.relay.pollIntervalMs, lingerMs: config.relay.lingerMs,
      sweepIntervalMs: config.relay.sweepIntervalMs, sweepAgeMs: config.relay.sweepAgeMs, isLeader, log,
    }),
  });
  let relay: LeaderRelay | null = null;
  const startRelay = async () => {
    if (relay) return;
    // Recorded only once started: after a failed start, the next call tries again.
    const started = newLeader();
    await started.start();
    relay = started;
  };
  const closeAll = async () => {
    await connection.close();
    await db.destroy();
  };
  await startRelay().catch(async (error: unknown) => {
    await closeAll();
    throw error;
  });
  return {
    temporal,
    get leading() {
      return relay?.leading ?? false;
    },
    startRelay,
    async stopRelay() {
      await relay?.stop();
      relay = null;
    },
    async stop() {
      await relay?.stop();
      relay = null;
      await closeAll();
    },
  };
}
