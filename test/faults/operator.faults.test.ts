import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { WorkflowFailedError, type WorkflowExecutionInfo } from '@temporalio/client';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { FailureTypes } from '../../src/read-models/failures/failure-types.js';
import { heldOrders } from '../../src/read-models/failures/holds.js';
import { readModelNames } from '../../src/read-models/registry.js';
import { call } from '../support/http.js';
import { placeOrderFor } from '../support/orders.js';
import { eventually } from '../support/poll.js';
import { appliedPerModel, claimedBatches, convergeCounting, expectBatchRuns, resetToFirstWorkflowTask } from './batch-runs.js';
import { FaultScenario } from './harness.js';
import { driveOrders, EVENTS_PER_ORDER } from './load.js';
import { between, scenarioSeeds, seededRandom } from './seeds.js';
import { expectConverged } from './expectations.js';

const POISON_FLAG = 'refused-by-fault-test';
const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

async function startAll(scenario: FaultScenario): Promise<void> {
  await Promise.all([scenario.start('api'), scenario.start('relay'), scenario.start('worker')]);
}

async function firstFailedBatch(scenario: FaultScenario): Promise<WorkflowExecutionInfo> {
  return eventually('a failed batch workflow', async () => {
    const query = `TaskQueue = '${scenario.taskQueue}' AND ExecutionStatus = 'Failed'`;
    for await (const workflow of scenario.temporal.workflow.list({ query })) return workflow;
    return undefined;
  }, 90_000);
}

/** GET /orders/{id} answers at the order's newest version in the outbox. */
async function visibleAtHead(scenario: FaultScenario, orderId: string): Promise<boolean> {
  const head = await scenario.db.selectFrom('outbox_events').select((eb) => eb.fn.max('aggregate_version').as('v')).where('aggregate_id', '=', orderId).executeTakeFirstOrThrow();
  const response = await call(scenario.apiUrl, 'GET', `/orders/${orderId}`);
  return response.status === 200 && response.body.freshness.sourceVersion === head.v;
}

async function everyOrderVisible(scenario: FaultScenario, orders: string[], what: string): Promise<void> {
  await eventually(what, async () => (await Promise.all(orders.map((id) => visibleAtHead(scenario, id)))).every(Boolean), 90_000);
}

/** The operator's re-drive, as `npm run redrive -- --order <id>` against the scenario's services. */
function redriveWithCli(scenario: FaultScenario, orderId: string): string {
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/redrive.ts', '--order', orderId, '--reason', 'constraint removed'], {
    cwd: REPO_ROOT, env: scenario.env, encoding: 'utf8', timeout: 60_000,
  });
  if (run.status !== 0) throw new Error(`redrive exited ${run.status}: ${run.stderr}`);
  return run.stdout;
}

/** Flags one order with the refused flag once the load has committed `afterEvents` events; its version 2 is the poison. */
async function poisonOneOrder(scenario: FaultScenario, afterEvents: number): Promise<{ orderId: string; eventId: string }> {
  await eventually('the load under way', async () => {
    const row = await scenario.db.selectFrom('outbox_events').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    return Number(row.n) >= afterEvents;
  }, 90_000);
  const { orderId } = await placeOrderFor(scenario.apiUrl);
  const flagged = await call(scenario.apiUrl, 'POST', `/orders/${orderId}/risk-flags`, { role: 'support', body: { flag: POISON_FLAG, reason: 'fault test' } });
  expect(flagged.status).toBeLessThan(300);
  const refused = await scenario.db.selectFrom('outbox_events').select('event_id').where('aggregate_id', '=', orderId).where('aggregate_version', '=', 2).executeTakeFirstOrThrow();
  return { orderId, eventId: refused.event_id };
}

/** The failed run's cause names the refused event, its order and version, and the read model. */
async function expectFailureNames(scenario: FaultScenario, failed: WorkflowExecutionInfo, poison: { orderId: string; eventId: string }): Promise<void> {
  const failure = await scenario.temporal.workflow.getHandle(failed.workflowId, failed.runId).result().catch((e: unknown) => e);
  expect(failure).toBeInstanceOf(WorkflowFailedError);
  expect((failure as WorkflowFailedError).cause?.cause).toMatchObject({
    type: FailureTypes.eventRejected, nonRetryable: true,
    details: [{ readModel: 'order-status', eventId: poison.eventId, orderId: poison.orderId, version: 2, reason: expect.stringContaining('refuse_fault_flag') }],
  });
  expect(await heldOrders(scenario.db, 'order-status')).toMatchObject([{ orderId: poison.orderId, version: 2 }]);
}

/** The fix, then the reset: odd seeds with `npm run redrive`, even ones through the Temporal API. Returns which. */
async function fixAndReset(scenario: FaultScenario, failed: WorkflowExecutionInfo, orderId: string): Promise<string> {
  await sql`alter table order_summary drop constraint refuse_fault_flag`.execute(scenario.db);
  const viaCli = scenario.seed % 2 === 1;
  if (viaCli) expect(redriveWithCli(scenario, orderId)).toContain('1 batch(es) re-driven');
  else await resetToFirstWorkflowTask(scenario, failed.workflowId, 'constraint removed');
  await scenario.temporal.workflow.getHandle(failed.workflowId).result();
  return viaCli ? 'npm run redrive' : 'resetWorkflowExecution';
}

describe('12. a poison event: its batch fails with context, other orders flow, then the fix, a reset and convergence', () => {
  for (const seed of scenarioSeeds()) {
    it(`seed ${seed}: the failure names event, order, version and model; a reset after the fix converges`, async () => {
      const random = seededRandom(seed);
      const scenario = await FaultScenario.create('12-poison-event-reset', seed);
      await scenario.run(async () => {
        await startAll(scenario);
        // A real store refusing one order's event: a CHECK constraint the flag violates.
        await sql`alter table order_summary add constraint refuse_fault_flag check (not (${sql.lit(POISON_FLAG)} = any(risk_flags)))`.execute(scenario.db);
        const orders = between(random, 4, 8);
        const load = driveOrders(scenario.apiUrl, random, orders);
        const poisonAfter = between(random, 0, 12);
        const poison = await poisonOneOrder(scenario, poisonAfter);
        const failed = await firstFailedBatch(scenario);
        await expectFailureNames(scenario, failed, poison);

        // Other orders keep flowing while the batch stays failed: the load, and orders placed after the failure.
        const tally = await load;
        const after = await driveOrders(scenario.apiUrl, random, between(random, 1, 3), 2);
        await everyOrderVisible(scenario, [...tally.orders, ...after.orders], 'every other order at its newest version');
        expect((await scenario.temporal.workflow.getHandle(failed.workflowId).describe()).status.name).toBe('FAILED');

        const healedAt = Date.now();
        const resetWith = await fixAndReset(scenario, failed, poison.orderId);
        await everyOrderVisible(scenario, [poison.orderId], 'the poisoned order at its newest version');
        expect(await heldOrders(scenario.db, 'order-status')).toEqual([]);
        const placed = orders + after.orders.length;
        const report = await convergeCounting(scenario, healedAt, 1, { orders: placed + 1, poisonAfter, resetWith });
        expect(report.eventsCommitted).toBe(placed * EVENTS_PER_ORDER + 2);
        expectConverged(report);
        await expectBatchRuns(scenario, [failed.workflowId]);
      });
    });
  }
});

describe('13. an operator resets a completed batch', () => {
  for (const seed of scenarioSeeds()) {
    it(`seed ${seed}: the re-run applies nothing twice`, async () => {
      const random = seededRandom(seed);
      const scenario = await FaultScenario.create('13-completed-batch-reset', seed);
      await scenario.run(async () => {
        await startAll(scenario);
        const orders = between(random, 4, 8);
        const load = driveOrders(scenario.apiUrl, random, orders);
        // Reset while the load still runs: as soon as the seed's number of batches has completed.
        const resets = between(random, 1, 3);
        const completed = await eventually('batches completed', async () => {
          const batches = await claimedBatches(scenario, { completed: true });
          return batches.length >= resets ? batches : undefined;
        }, 90_000);
        const chosen = completed.filter((_, i) => i % Math.max(1, Math.floor(completed.length / resets)) === 0).slice(0, resets);
        const healedAt = Date.now();
        const reRuns = await Promise.all(chosen.map(async (batch) => {
          await resetToFirstWorkflowTask(scenario, batch.workflowId, 'operator re-runs a completed batch');
          return scenario.temporal.workflow.getHandle(batch.workflowId).result();
        }));
        // Every event of those batches was applied by the first run: the re-runs apply none again.
        expect(appliedPerModel(reRuns)).toEqual(Object.fromEntries(readModelNames().map((name) => [name, 0])));
        const tally = await load;
        const report = await convergeCounting(scenario, healedAt, chosen.length, { orders, resetBatches: chosen.map((b) => b.batchId), clientRetries: tally.retries });
        expect(report.eventsCommitted).toBe(orders * EVENTS_PER_ORDER);
        expectConverged(report);
        await expectBatchRuns(scenario, chosen.map((batch) => batch.workflowId));
      });
    });
  }
});
