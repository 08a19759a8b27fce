import { writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { loadConfig, type AppConfig } from '../../src/config.js';
import { startApi, type ApiProcess } from '../../src/processes/api.js';
import { readModelFreshness } from '../../src/read-models/checkpoints.js';
import { readModelNames } from '../../src/read-models/registry.js';
import { readOutboxId, workflowIdForBatch } from '../../src/relay/claim.js';
import { createSearchClient } from '../../src/search/client.js';
import { call } from '../support/http.js';
import { authorize, placeOrderFor } from '../support/orders.js';
import { eventually } from '../support/poll.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { testTokenGrants } from '../support/test-runtime.js';
import { startPart, stopParts, type PartProcess } from './part-process.js';

const ORDERS = 16;
/** Each order goes through place, authorize, ship and a note: four events. */
const EVENTS_PER_ORDER = 4;

let database: TestDatabase;
let api: ApiProcess;
let temporal: Client;
let config: AppConfig;
let bundlePath: string;
const parts: PartProcess[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  config = Object.freeze({
    ...loadConfig(), httpPort: 0, apiTokens: testTokenGrants(),
    taskQueue: `projections-${database.name}`, searchIndexPrefix: database.name,
  });
  bundlePath = join(tmpdir(), `${database.name}-workflows.js`);
  await writeFile(bundlePath, inject('workflowBundle'));
  const { temporalAddress, opensearchUrl } = inject('stack');
  const env = {
    ...process.env, DATABASE_URL: database.url, TEMPORAL_ADDRESS: temporalAddress, OPENSEARCH_URL: opensearchUrl,
    TASK_QUEUE: config.taskQueue, SEARCH_INDEX_PREFIX: config.searchIndexPrefix, WORKFLOW_BUNDLE: bundlePath,
  };
  parts.push(startPart('relay', 'relay-1', env), startPart('relay', 'relay-2', env));
  parts.push(startPart('worker', 'worker-1', env), startPart('worker', 'worker-2', env));
  api = await startApi({ databaseUrl: database.url, opensearchUrl, config, httpLogger: false, log: () => undefined });
  temporal = new Client({ connection: await Connection.connect({ address: temporalAddress }) });
  await Promise.all(parts.map((part) => part.waitForLine(/\bstarted\b/, 60_000)));
});

afterAll(async () => {
  await stopParts(parts);
  const running = temporal?.workflow.list({ query: `TaskQueue = '${config.taskQueue}' AND ExecutionStatus = 'Running'` });
  for await (const workflow of running ?? []) {
    await temporal.workflow.getHandle(workflow.workflowId).terminate('test finished').catch(() => undefined);
  }
  await temporal?.connection.close();
  await api?.stop();
  await database?.drop();
  const search = createSearchClient(inject('stack').opensearchUrl);
  await search.indices.delete({ index: `${database.name}-*` }).catch(() => undefined);
  await search.close();
  await rm(bundlePath, { force: true });
});

/** One order through its life over HTTP: placed, authorized, shipped, annotated. */
async function orderLifecycle(url: string): Promise<string> {
  const { orderId, totalCents } = await placeOrderFor(url);
  const steps = [
    () => authorize(url, orderId, totalCents),
    () => call(url, 'POST', `/orders/${orderId}/shipments`, { role: 'operator', body: { carrier: 'DHL', trackingNumber: `TRK-${orderId.slice(0, 6)}` } }),
    () => call(url, 'POST', `/orders/${orderId}/notes`, { role: 'support', body: { text: 'left at the door' } }),
  ];
  for (const step of steps) {
    const response = await step();
    if (response.status >= 300) throw new Error(`order ${orderId}: ${response.status} ${JSON.stringify(response.body)}`);
  }
  return orderId;
}

async function placeOrders(count: number): Promise<string[]> {
  return Promise.all(Array.from({ length: count }, () => orderLifecycle(api.url!)));
}

function leaderAmong(relays: PartProcess[]): Promise<PartProcess> {
  return eventually('one relay leads', async () => relays.find((relay) => relay.lines.some((line) => line.includes('relay leading'))), 30_000);
}

/** The pid of each worker whose activity tasks appear in the batch workflows' histories. */
async function activityWorkerIdentities(workflowIds: string[]): Promise<Set<string>> {
  const identities = new Set<string>();
  for (const workflowId of workflowIds) {
    const history = await temporal.workflow.getHandle(workflowId).fetchHistory();
    for (const event of history.events ?? []) {
      const identity = event.activityTaskStartedEventAttributes?.identity;
      if (identity) identities.add(identity.split('@')[0]!);
    }
  }
  return identities;
}

describe('two relays and two workers on one database and task queue', () => {
  it('dispatch every batch once and apply every event once per read model, across a leader killed midway', async () => {
    const relays = parts.slice(0, 2);
    const workers = parts.slice(2);
    const firstLeader = await leaderAmong(relays);
    const follower = relays.find((relay) => relay !== firstLeader)!;
    await follower.waitForLine(/relay following/, 10_000);

    const firstHalf = await placeOrders(ORDERS / 2);
    const killedAt = Date.now();
    const followerLinesBefore = follower.lines.length;
    firstLeader.kill('SIGKILL');
    const takenOverAt = follower.waitForLine(/relay leading/, 15_000, followerLinesBefore).then(() => Date.now());
    const secondHalf = await placeOrders(ORDERS / 2);
    const failoverMs = (await takenOverAt) - killedAt;
    console.log(`relay fail-over: the follower led ${failoverMs} ms after the leader was killed`);
    const orderIds = [...firstHalf, ...secondHalf];
    const { db } = api;
    const events = ORDERS * EVENTS_PER_ORDER;
    expect(Number((await db.selectFrom('outbox_events').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)).toBe(events);

    // No loss: every event claimed, and every read model's ledger and checkpoint reach the head.
    for (const name of readModelNames()) {
      await eventually(`${name} applied all ${events} events`, async () => {
        const freshness = await readModelFreshness(db, name);
        return freshness.position === events && freshness.lagEvents === 0;
      }, 45_000);
      const ledger = await db.selectFrom('processed_projection_events').innerJoin('outbox_events', 'outbox_events.event_id', 'processed_projection_events.event_id')
        .select((eb) => [eb.fn.countAll().as('rows'), eb.fn.count('processed_projection_events.event_id').distinct().as('events')])
        .where('projection', '=', name).executeTakeFirstOrThrow();
      expect({ rows: Number(ledger.rows), events: Number(ledger.events) }).toEqual({ rows: events, events });
    }

    // No duplicate: each event in one batch, each batch dispatched as exactly one workflow.
    const batches = await db.selectFrom('outbox_batches').selectAll().orderBy('id').execute();
    expect(batches.every((batch) => batch.dispatched_at !== null && batch.dispatch_error === null)).toBe(true);
    expect(batches.reduce((sum, batch) => sum + batch.event_count, 0)).toBe(events);
    expect(batches.some((batch) => batch.claimed_at.getTime() > killedAt)).toBe(true);
    const outboxId = await readOutboxId(db);
    const expectedIds = batches.map((batch) => workflowIdForBatch(outboxId, batch.id)).sort();
    const workflowIds = await eventually('Temporal lists one workflow per batch', async () => {
      const listed: string[] = [];
      for await (const workflow of temporal.workflow.list({ query: `TaskQueue = '${config.taskQueue}'` })) listed.push(workflow.workflowId);
      return listed.length === expectedIds.length ? listed.sort() : undefined;
    }, 20_000);
    expect(workflowIds).toEqual(expectedIds);

    // Both workers took part.
    const identities = await activityWorkerIdentities(workflowIds);
    expect([...identities].sort()).toEqual(workers.map((worker) => String(worker.pid)).sort());

    // Every order shows its last state in order-status.
    for (const orderId of orderIds) {
      const read = await call(api.url!, 'GET', `/orders/${orderId}`);
      expect(read.status).toBe(200);
      expect({ status: read.body.status, version: read.body.freshness.sourceVersion }).toEqual({ status: 'shipped', version: EVENTS_PER_ORDER });
    }
    expect(failoverMs).toBeLessThan(15_000);
  });
});
