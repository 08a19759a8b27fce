import { describe, expect, it } from 'vitest';
import { FaultScenario } from './harness.js';
import { driveOrders, EVENTS_PER_ORDER } from './load.js';
import { between, scenarioSeeds, seededRandom } from './seeds.js';
import { expectConverged, expectOneWorkflowPerBatch } from './expectations.js';

const CRASH_WITHIN_MS = 60_000;
/** The killed worker's activities are retried once their 30 s start-to-close timeout has passed. */
const CONVERGE_WITHIN_MS = 90_000;

describe('7. the worker is killed (kill -9) in the middle of a projection activity, then restarted', () => {
  for (const seed of scenarioSeeds()) {
    it(`seed ${seed}: the retried activity applies nothing twice`, async () => {
      const random = seededRandom(seed);
      const scenario = await FaultScenario.create('7-worker-killed-mid-activity', seed);
      await scenario.run(async () => {
        await scenario.start('api');
        await scenario.start('relay');
        // Killed after the read model's transaction committed, before the checkpoint moved and
        // before Temporal heard of it: the retry meets events already applied.
        const crashing = await scenario.start('worker', { crashPoint: 'worker:after-apply-before-checkpoint' });
        const orders = between(random, 6, 10);
        const load = driveOrders(scenario.apiUrl, random, orders);
        expect((await scenario.ended(crashing, CRASH_WITHIN_MS)).signal).toBe('SIGKILL');
        const appliedBeforeRestart = await scenario.db.selectFrom('processed_projection_events').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
        expect(Number(appliedBeforeRestart.n)).toBeGreaterThan(0);
        const healedAt = Date.now();
        await scenario.start('worker');
        const restartMs = Date.now() - healedAt;
        const tally = await load;
        const report = await scenario.converge(healedAt, { orders, clientRetries: tally.retries, restartMs });
        expect(report.eventsCommitted).toBe(orders * EVENTS_PER_ORDER);
        expectConverged(report);
        // The killed attempt was delivered again: Temporal's history shows a second attempt.
        expect(report.duplicateDeliveries.activityRetries).toBeGreaterThanOrEqual(1);
        expect(report.convergenceMs).toBeLessThan(CONVERGE_WITHIN_MS);
        await expectOneWorkflowPerBatch(scenario);
      });
    });
  }
});
