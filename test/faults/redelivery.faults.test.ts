import { setTimeout as pause } from 'node:timers/promises';
import type { WorkflowHandle } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import type { ClaimedBatch } from '../../src/relay/claim.js';
import { readModelNames } from '../../src/read-models/registry.js';
import { waitForCatchUp } from '../../src/read-models/verify/catch-up.js';
import type { projectOutboxBatch } from '../../workflows/project-outbox-batch.js';
import { createProduct, orderBody } from '../support/fixtures.js';
import type { RequestOptions } from '../support/http.js';
import { call } from '../support/http.js';
import { eventually } from '../support/poll.js';
import { appliedPerModel, claimedBatches, convergeCounting, expectBatchRuns, startBatchRun } from './batch-runs.js';
import { FaultScenario } from './harness.js';
import { driveOrders, EVENTS_PER_ORDER, sendWithRetry, type LoadTally } from './load.js';
import { between, scenarioSeeds, seededRandom } from './seeds.js';
import { expectConverged } from './expectations.js';

type BatchHandle = WorkflowHandle<typeof projectOutboxBatch>;
type Redelivery = 'same batch while it may still run' | 'overlapping two batches' | 'completed batch again';
const KINDS: Redelivery[] = ['same batch while it may still run', 'overlapping two batches', 'completed batch again'];

async function batchesWhere(scenario: FaultScenario, enough: (batches: ClaimedBatch[]) => boolean, completed = false): Promise<ClaimedBatch[]> {
  return eventually('batches to deliver again', async () => {
    const batches = await claimedBatches(scenario, { completed });
    return enough(batches) ? batches : undefined;
  }, 90_000);
}

/** Starts one extra run of the batch workflow type carrying events the relay already sent in a batch. */
async function deliverAgain(scenario: FaultScenario, kind: Redelivery, i: number, random: () => number): Promise<BatchHandle> {
  if (kind === 'same batch while it may still run') {
    const newest = (await batchesWhere(scenario, (b) => b.length >= 1)).at(-1)!;
    return startBatchRun(scenario, `${newest.workflowId}-again-${i}`, newest.batchId, newest.events);
  }
  if (kind === 'overlapping two batches') {
    const batches = await batchesWhere(scenario, (b) => b.length >= 2);
    const k = between(random, 0, batches.length - 2);
    const [first, second] = [batches[k]!, batches[k + 1]!];
    const events = [...first.events.slice(Math.floor(first.events.length / 2)), ...second.events.slice(0, Math.ceil(second.events.length / 2))];
    return startBatchRun(scenario, `${first.workflowId}-overlap-${i}`, first.batchId, events);
  }
  const completed = await batchesWhere(scenario, (b) => b.length >= 1, true);
  const batch = completed[between(random, 0, completed.length - 1)]!;
  return startBatchRun(scenario, `${batch.workflowId}-rerun-${i}`, batch.batchId, batch.events);
}

describe('10. batches overlap or are delivered twice', () => {
  for (const seed of scenarioSeeds()) {
    it(`seed ${seed}: each event takes effect once per model`, async () => {
      const random = seededRandom(seed);
      const scenario = await FaultScenario.create('10-batches-delivered-twice', seed);
      await scenario.run(async () => {
        // Small batches, so there are batches to overlap while the load still runs.
        Object.assign(scenario.env, { RELAY_MAX_BATCH: String(between(random, 3, 6)) });
        await Promise.all([scenario.start('api'), scenario.start('relay'), scenario.start('worker')]);
        const orders = between(random, 6, 10);
        const load = driveOrders(scenario.apiUrl, random, orders);
        const startedAt = Date.now();
        const extras: BatchHandle[] = [];
        const count = between(random, 3, 5);
        // Delivered while the relay runs; the seed picks the mix (each kind at least once) and the batches.
        const kinds = Array.from({ length: count }, (_, i) => KINDS[(i + seed) % KINDS.length]!);
        for (const [i, kind] of kinds.entries()) extras.push(await deliverAgain(scenario, kind, i, random));
        const tally = await load;
        const extraResults = await Promise.all(extras.map((handle) => handle.result()));
        const report = await convergeCounting(scenario, startedAt, extras.length, { orders, relayMaxBatch: scenario.env.RELAY_MAX_BATCH, deliveredAgain: kinds, clientRetries: tally.retries });
        expect(report.eventsCommitted).toBe(orders * EVENTS_PER_ORDER);
        expectConverged(report);
        // Across the relay's runs and the extra ones, no model applied more than there are events: the
        // PostgreSQL models count events, support-search documents written (at most one per new event).
        const relayResults = await Promise.all((await claimedBatches(scenario)).map((batch) => scenario.temporal.workflow.getHandle<typeof projectOutboxBatch>(batch.workflowId).result()));
        for (const [model, applied] of Object.entries(appliedPerModel([...relayResults, ...extraResults]))) {
          expect(applied, model).toBeLessThanOrEqual(report.eventsCommitted);
        }
        expect(report.duplicateDeliveries.batchRedispatches).toBeGreaterThanOrEqual(extras.length);
        await expectBatchRuns(scenario, extras.map((handle) => handle.workflowId));
      });
    });
  }
});

/** One order through many commands sent back to back, so its events land in several small batches. */
async function longLifecycle(scenario: FaultScenario, tally: LoadTally, random: () => number, sku: string): Promise<void> {
  const ok = async (method: string, path: string, options: RequestOptions) => {
    const result = await sendWithRetry(tally, scenario.apiUrl, method, path, options);
    if (result.status >= 300) throw new Error(`${method} ${path}: ${result.status} ${JSON.stringify(result.body)}`);
    return result;
  };
  const placed = await ok('POST', '/orders', { body: orderBody([{ sku, quantity: 1 }]) });
  const { orderId, totalCents } = placed.body as { orderId: string; totalCents: number };
  tally.orders.push(orderId);
  const path = `/orders/${orderId}`;
  const notes = (n: number) => Array.from({ length: n }, (_, i) => () => ok('POST', `${path}/notes`, { role: 'support', body: { text: `note ${i}` } }));
  const steps = [
    () => ok('POST', `${path}/payment-authorizations`, { body: { provider: 'stripe', reference: `pi_${orderId.slice(0, 8)}`, amountCents: totalCents } }),
    ...notes(between(random, 2, 5)),
    () => ok('POST', `${path}/shipments`, { role: 'operator', body: { carrier: 'DHL', trackingNumber: `TRK-${orderId.slice(0, 6)}` } }),
    () => ok('POST', `${path}/shipment-events`, { role: 'operator', body: { status: 'in_transit' } }),
    ...notes(between(random, 2, 5)),
    () => ok('POST', `${path}/shipment-events`, { role: 'operator', body: { status: 'delivered' } }),
  ];
  for (const step of steps) await step();
}

interface VersionWatch {
  reads: number;
  regressions: string[];
}

/** Reads every order from the order-status and agent-timeline read models until `done`, noting any version that went back. */
async function watchVersions(scenario: FaultScenario, orders: string[], done: () => boolean): Promise<VersionWatch> {
  const watch: VersionWatch = { reads: 0, regressions: [] };
  const last = new Map<string, number>();
  const read = async (key: string, path: string) => {
    const response = await call(scenario.apiUrl, 'GET', path, { role: 'support' });
    if (response.status !== 200) return;
    watch.reads += 1;
    const version = response.body.freshness.sourceVersion as number;
    if (version < (last.get(key) ?? 0)) watch.regressions.push(`${key}: ${last.get(key)} then ${version}`);
    last.set(key, Math.max(version, last.get(key) ?? 0));
  };
  while (!done()) {
    await Promise.all(orders.flatMap((id) => [read(`order-status ${id}`, `/orders/${id}`), read(`agent-timeline ${id}`, `/orders/${id}/timeline`)]));
    await pause(20); // the reader's sampling interval, not a synchronization
  }
  return watch;
}

/** Pairs of batches holding events of the same order whose workflow runs were open at the same time. */
async function concurrentBatchesOfOneOrder(scenario: FaultScenario): Promise<number> {
  const batches = await claimedBatches(scenario);
  const spans = await Promise.all(batches.map(async (batch) => {
    const handle = scenario.temporal.workflow.getHandle(batch.workflowId);
    await handle.result(); // a checkpoint at the head may precede the run's own completion
    const run = await handle.describe();
    return { orders: new Set(batch.events.map((e) => e.aggregateId)), start: run.startTime.getTime(), end: run.closeTime!.getTime() };
  }));
  let pairs = 0;
  for (const [i, a] of spans.entries()) {
    for (const b of spans.slice(i + 1)) {
      if (b.start < a.end && a.start < b.end && [...a.orders].some((order) => b.orders.has(order))) pairs += 1;
    }
  }
  return pairs;
}

describe('11. one order\'s events are spread over concurrent batches', () => {
  for (const seed of scenarioSeeds()) {
    it(`seed ${seed}: no read goes back to an older version`, async () => {
      const random = seededRandom(seed);
      const scenario = await FaultScenario.create('11-order-over-concurrent-batches', seed);
      await scenario.run(async () => {
        Object.assign(scenario.env, { RELAY_MAX_BATCH: String(between(random, 2, 3)), RELAY_MAX_IN_FLIGHT: '8' });
        const workers = between(random, 1, 2);
        await Promise.all([scenario.start('api'), scenario.start('relay'), ...Array.from({ length: workers }, () => scenario.start('worker'))]);
        const orders = between(random, 3, 5);
        const skus = await Promise.all(Array.from({ length: orders }, () => createProduct(scenario.apiUrl, { priceCents: 2_500, stock: 100 })));
        const tally: LoadTally = { orders: [], retries: 0 };
        let converged = false;
        const startedAt = Date.now();
        // Read from the first command until every model has caught up: the whole time batches apply.
        const watch = watchVersions(scenario, tally.orders, () => converged);
        await Promise.all(skus.map((sku) => longLifecycle(scenario, tally, random, sku)));
        await waitForCatchUp(scenario.db, readModelNames(), 120_000).finally(() => (converged = true));
        const { reads, regressions } = await watch;
        const report = await convergeCounting(scenario, startedAt, 0, { orders, workers, reads, relayMaxBatch: scenario.env.RELAY_MAX_BATCH });
        expectConverged(report);
        expect(regressions).toEqual([]);
        expect(reads).toBeGreaterThan(orders);
        const spread = await scenario.db.selectFrom('outbox_events').select('aggregate_id').groupBy('aggregate_id')
          .having((eb) => eb.fn.count('batch_id').distinct(), '>', 1).execute();
        expect(spread).toHaveLength(orders);
        expect(await concurrentBatchesOfOneOrder(scenario)).toBeGreaterThan(0);
        await expectBatchRuns(scenario, []);
      });
    });
  }
});
