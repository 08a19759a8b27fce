import { describe, expect, it } from 'vitest';
import { eventually } from '../support/poll.js';
import { FaultScenario } from './harness.js';
import { driveOrders, EVENTS_PER_ORDER } from './load.js';
import { between, scenarioSeeds, seededRandom } from './seeds.js';
import { expectConverged, expectOneWorkflowPerBatch } from './expectations.js';

const STOP_WITHIN_MS = 30_000;

/** A batch whose workflow the relay started and has not yet seen finish. */
async function batchInFlight(scenario: FaultScenario): Promise<number | undefined> {
  const batch = await scenario.db.selectFrom('outbox_batches').select('id')
    .where('dispatched_at', 'is not', null).where('completed_at', 'is', null).executeTakeFirst();
  return batch?.id;
}

describe('16. SIGTERM to `npm start` in the middle of a batch, then a new start', () => {
  for (const seed of scenarioSeeds()) {
    it(`seed ${seed}: it stops gracefully, and the new start loses nothing and applies nothing twice`, async () => {
      const random = seededRandom(seed);
      const scenario = await FaultScenario.create('16-sigterm-npm-start', seed);
      await scenario.run(async () => {
        const first = await scenario.start('npm-start');
        const orders = between(random, 8, 12);
        // The client keeps going through the restart: its retries reach the new start on the same port.
        const load = driveOrders(scenario.apiUrl, random, orders);
        await eventually('a batch in flight', () => batchInFlight(scenario), 60_000);
        first.kill('SIGTERM');
        const stopped = await scenario.ended(first, STOP_WITHIN_MS);
        expect(stopped).toEqual({ code: 0, signal: null });
        expect(first.lines.some((line) => line.includes('SIGTERM: stopping'))).toBe(true);
        const healedAt = Date.now();
        await scenario.start('npm-start');
        const restartMs = Date.now() - healedAt;
        const tally = await load;
        const report = await scenario.converge(healedAt, { orders, clientRetries: tally.retries, restartMs });
        expect(report.eventsCommitted).toBe(orders * EVENTS_PER_ORDER);
        expectConverged(report);
        await expectOneWorkflowPerBatch(scenario);
      });
    });
  }
});
