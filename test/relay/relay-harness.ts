import { randomUUID } from 'node:crypto';
import { Client, Connection, type ConnectionOptions } from '@temporalio/client';
import { sql } from 'kysely';
import { inject } from 'vitest';
import type { Db } from '../../src/db/database.js';
import { CLAIM_LOCK_KEY, claimBatch, readOutboxId, type ClaimedBatch } from '../../src/relay/claim.js';
import { OutboxRelay, type RelayOptions } from '../../src/relay/outbox-relay.js';
import { eventually } from '../support/poll.js';
import { createTestDatabase, uniqueName, type TestDatabase } from '../support/test-database.js';

/**
 * A relay on its own database and a task queue no worker polls: its batch workflows stay
 * open, as they would while the projection worker is down, and the tests look at what the
 * relay itself does (outbox_batches, Temporal, its log).
 */
type GrpcInterceptor = NonNullable<ConnectionOptions['interceptors']>[number];

export interface RelayHarness {
  database: TestDatabase;
  db: Db;
  temporal: Client;
  taskQueue: string;
  outboxId: string;
  logs: Array<{ line: string; fields?: Record<string, unknown> }>;
  /** How many history reads (what `result()` long-polls with) went to Temporal so far. */
  historyReads(): number;
  startRelay(overrides?: Partial<RelayOptions>): Promise<OutboxRelay>;
  close(): Promise<void>;
}

export async function createRelayHarness(): Promise<RelayHarness> {
  const database = await createTestDatabase();
  let historyReads = 0;
  const connection = await Connection.connect({
    address: inject('stack').temporalAddress,
    interceptors: [(options, nextCall) => {
      if (String(options.method_definition.path).endsWith('/GetWorkflowExecutionHistory')) historyReads++;
      // grpc-js accepts the interface it hands out; its type asks for the class.
      return nextCall(options) as ReturnType<GrpcInterceptor>;
    }],
  });
  const temporal = new Client({ connection });
  const taskQueue = uniqueName('relay');
  const logs: RelayHarness['logs'] = [];
  const relays: OutboxRelay[] = [];
  const harness: RelayHarness = {
    database, db: database.db, temporal, taskQueue, logs,
    historyReads: () => historyReads,
    outboxId: await readOutboxId(database.db),
    async startRelay(overrides = {}) {
      const relay = new OutboxRelay({
        db: database.db, databaseUrl: database.url, temporal, taskQueue,
        maxBatchSize: 500, maxOrdersPerBatch: 50, maxInFlight: 4, pollIntervalMs: 100, lingerMs: 0,
        sweepIntervalMs: 200, sweepAgeMs: 500,
        log: (line, fields) => logs.push({ line, fields }),
        ...overrides,
      });
      await relay.start();
      relays.push(relay);
      return relay;
    },
    async close() {
      for (const relay of relays) await relay.stop();
      const open = temporal.workflow.list({ query: `TaskQueue = '${taskQueue}' AND ExecutionStatus = 'Running'` });
      for await (const run of open) await temporal.workflow.getHandle(run.workflowId).terminate('test finished').catch(() => undefined);
      await connection.close();
      await database.drop();
    },
  };
  return harness;
}

export function outboxRow() {
  return {
    event_id: randomUUID(),
    aggregate_type: 'order',
    aggregate_id: randomUUID(),
    aggregate_version: 1,
    event_type: 'OrderPlaced',
    payload: JSON.stringify({}),
    occurred_at: new Date(),
  };
}

export async function insertEvent(db: Db): Promise<string> {
  const row = outboxRow();
  await db.insertInto('outbox_events').values(row).execute();
  return row.event_id;
}

/**
 * Claims a new event into a batch as another relay would, then "dies" before dispatching it.
 * Holding the claim lock meanwhile keeps the relay under test from claiming the event first.
 */
export async function claimAsDeadRelay(harness: RelayHarness): Promise<ClaimedBatch> {
  return harness.db.connection().execute(async (conn) => {
    await sql`select pg_advisory_lock(${CLAIM_LOCK_KEY})`.execute(conn);
    try {
      await insertEvent(conn);
      return await eventually('a claimable event', async () => (await claimBatch(conn, harness.outboxId, 100)) ?? undefined);
    } finally {
      await sql`select pg_advisory_unlock(${CLAIM_LOCK_KEY})`.execute(conn);
    }
  });
}

export async function batchRow(db: Db, batchId: number) {
  return db.selectFrom('outbox_batches').selectAll().where('id', '=', batchId).executeTakeFirstOrThrow();
}

/** The batch that holds `eventId`, once the relay has dispatched it. */
export async function dispatchedBatchOf(db: Db, eventId: string, timeoutMs?: number) {
  return eventually(`event ${eventId} dispatched`, async () => {
    const row = await db.selectFrom('outbox_events').innerJoin('outbox_batches', 'outbox_batches.id', 'outbox_events.batch_id')
      .select(['outbox_batches.id', 'outbox_batches.dispatched_at']).where('event_id', '=', eventId).executeTakeFirst();
    return row?.dispatched_at ? row.id : undefined;
  }, timeoutMs);
}
