import { WorkflowNotFoundError } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { readOutboxId, workflowIdForBatch } from '../../src/relay/claim.js';
import { FaultScenario } from './harness.js';
import { driveOrders, EVENTS_PER_ORDER } from './load.js';
import { between, scenarioSeeds, seededRandom } from './seeds.js';
import { expectConverged, expectOneWorkflowPerBatch } from './expectations.js';

const CRASH_WITHIN_MS = 60_000;

/** The batch the crashed relay claimed but never recorded as dispatched. */
async function undispatchedBatch(scenario: FaultScenario): Promise<{ id: number; workflowId: string }> {
  const batch = await scenario.db.selectFrom('outbox_batches').select('id').where('dispatched_at', 'is', null).orderBy('id').executeTakeFirstOrThrow();
  return { id: batch.id, workflowId: workflowIdForBatch(await readOutboxId(scenario.db), batch.id) };
}

async function workflowExists(scenario: FaultScenario, workflowId: string): Promise<boolean> {
  try {
    await scenario.temporal.workflow.getHandle(workflowId).describe();
    return true;
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return false;
    throw error;
  }
}

/**
 * Starts api and worker, and a relay armed to kill itself at `crashPoint` with the first batch;
 * drives orders, waits for the crash, lets `check` look at the wreck, then starts a healthy relay.
 */
async function relayCrashScenario(name: string, seed: number, crashPoint: 'relay:after-start-before-record' | 'relay:after-claim-before-start',
  check: (scenario: FaultScenario, batch: { id: number; workflowId: string }) => Promise<void>) {
  const random = seededRandom(seed);
  const scenario = await FaultScenario.create(name, seed);
  return scenario.run(async () => {
    await scenario.start('api');
    await scenario.start('worker');
    const crashing = await scenario.start('relay', { crashPoint });
    const orders = between(random, 6, 10);
    const load = driveOrders(scenario.apiUrl, random, orders);
    expect((await scenario.ended(crashing, CRASH_WITHIN_MS)).signal).toBe('SIGKILL');
    await check(scenario, await undispatchedBatch(scenario));
    const healedAt = Date.now();
    await scenario.start('relay');
    const restartMs = Date.now() - healedAt;
    const tally = await load;
    const report = await scenario.converge(healedAt, { orders, clientRetries: tally.retries, restartMs });
    expect(report.eventsCommitted).toBe(orders * EVENTS_PER_ORDER);
    expectConverged(report);
    await expectOneWorkflowPerBatch(scenario);
    return report;
  });
}

describe('4. the relay is killed after starting a workflow and before recording it, then restarted', () => {
  for (const seed of scenarioSeeds()) {
    it(`seed ${seed}: the batch runs once, its re-dispatch finds the first run, nothing is applied twice`, async () => {
      const report = await relayCrashScenario('4-relay-killed-after-start', seed, 'relay:after-start-before-record', async (scenario, batch) => {
        expect(await workflowExists(scenario, batch.workflowId)).toBe(true);
      });
      expect(report.duplicateDeliveries.batchRedispatches).toBeGreaterThanOrEqual(1);
    });
  }
});

describe('5. the relay is killed after claiming a batch and before starting it, then restarted', () => {
  for (const seed of scenarioSeeds()) {
    it(`seed ${seed}: the claimed batch still runs, once`, async () => {
      await relayCrashScenario('5-relay-killed-after-claim', seed, 'relay:after-claim-before-start', async (scenario, batch) => {
        expect(await workflowExists(scenario, batch.workflowId)).toBe(false);
        // The claim survives the crash: those events now wait for the next relay's sweep, not a new claim.
        const claimed = await scenario.db.selectFrom('outbox_events').select('event_id').where('batch_id', '=', batch.id).execute();
        expect(claimed.length).toBeGreaterThan(0);
      });
    });
  }
});
