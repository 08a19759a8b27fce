import { describe, expect, it } from 'vitest';
import { readOutboxId, workflowIdForBatch } from '../../src/relay/claim.js';
import { eventually } from '../support/poll.js';
import { expectAcknowledgedKept, expectPartsRunning } from './survival.js';
import { FaultScenario } from './harness.js';
import { recordReport } from './report.js';
import { driveOrders, emptyTally, EVENTS_PER_ORDER } from './load.js';
import { startPrivateTemporal } from './private-services.js';
import { between, scenarioSeeds, seededRandom } from './seeds.js';
import { expectConverged, expectOneWorkflowPerBatch } from './expectations.js';

/** SIGTERM lets the dev server shut down; SIGKILL leaves its history file as a crash would. */
const SIGNALS = ['SIGTERM', 'SIGKILL'] as const;

async function count(scenario: FaultScenario, table: 'outbox_events' | 'outbox_batches'): Promise<number> {
  const row = await scenario.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Batches the relay started, their workflows that completed, and what the visibility store counts. */
async function batchCounts(scenario: FaultScenario): Promise<{ started: number; completed: number; visible: number }> {
  const batches = await scenario.db.selectFrom('outbox_batches').select('id').where('dispatched_at', 'is not', null).execute();
  const outboxId = await readOutboxId(scenario.db);
  let completed = 0;
  for (const batch of batches) {
    const run = await scenario.temporal.workflow.getHandle(workflowIdForBatch(outboxId, batch.id)).describe();
    if (run.status.name === 'COMPLETED') completed += 1;
  }
  const { count: visible } = await scenario.temporal.workflow.count(`TaskQueue = '${scenario.taskQueue}' AND ExecutionStatus = 'Completed'`);
  return { started: batches.length, completed, visible };
}

/** A private server's start and restart come on top of the load and the convergence. */
const SCENARIO_TIMEOUT_MS = 400_000;

describe('15. the Temporal dev server is restarted under load (its history is on disk)', () => {
  for (const seed of scenarioSeeds()) {
    it(`seed ${seed}: every batch completes, and started = completed = visibility count`, async () => {
      const random = seededRandom(seed);
      const temporal = await startPrivateTemporal();
      try {
        const scenario = await FaultScenario.create('15-temporal-restart', seed, { temporalAddress: temporal.address });
        await scenario.run(async () => {
          const parts = [await scenario.start('api'), await scenario.start('relay'), await scenario.start('worker')];
          const ordersBefore = between(random, 12, 20);
          // Orders placed only once the server is down: the first load may be over before a batch is dispatched.
          const ordersWhileDown = between(random, 2, 4);
          const orders = ordersBefore + ordersWhileDown;
          const killAfterEvents = between(random, 4, 16);
          const signal = SIGNALS[(seed + 1) % 2]!; // seeds alternate: one of each in --seeds 2
          const tally = emptyTally();
          const load = driveOrders(scenario.apiUrl, random, ordersBefore, 4, tally);
          await eventually(`a batch dispatched and ${killAfterEvents} events committed`, async () =>
            (await count(scenario, 'outbox_batches')) >= 1 && (await count(scenario, 'outbox_events')) >= killAfterEvents, 60_000);
          const stoppedAt = Date.now();
          await temporal.kill(signal);
          // The write path does not need Temporal: commands keep committing while it is down.
          const committedAtStop = await count(scenario, 'outbox_events');
          const keepFlowing = between(random, 3, 8);
          const loadWhileDown = driveOrders(scenario.apiUrl, random, ordersWhileDown, 2, tally);
          await eventually(`${keepFlowing} more events committed while Temporal is down`, async () => (await count(scenario, 'outbox_events')) >= committedAtStop + keepFlowing, 60_000);
          const downMs = Date.now() - stoppedAt;
          await temporal.start();
          const healedAt = Date.now();
          await Promise.all([load, loadWhileDown]);
          await expectPartsRunning(parts);
          const report = await scenario.converge(healedAt, { orders, signal, downMs, clientRetries: tally.retries });
          expect(report.eventsCommitted).toBe(orders * EVENTS_PER_ORDER);
          await expectAcknowledgedKept(scenario, tally.acknowledged);
          expectConverged(report);
          // Visibility catches up with the workflows' closes a moment later.
          const counts = await eventually('every batch completed and counted by visibility', async () => {
            const now = await batchCounts(scenario);
            return now.started === now.completed && now.completed === now.visible ? now : undefined;
          }, 60_000);
          expect(counts.started).toBe(await count(scenario, 'outbox_batches'));
          await recordReport({ ...report, details: { ...report.details, batches: counts } });
          await expectOneWorkflowPerBatch(scenario);
        });
      } finally {
        await temporal.dispose();
      }
    }, SCENARIO_TIMEOUT_MS);
  }
});
