import { describe, expect, it } from 'vitest';
import { eventually } from '../support/poll.js';
import { expectAcknowledgedKept, expectPartsRunning } from './survival.js';
import { FaultScenario } from './harness.js';
import { driveOrders, emptyTally, EVENTS_PER_ORDER } from './load.js';
import { startPrivatePostgres } from './private-services.js';
import { between, scenarioSeeds, seededRandom } from './seeds.js';
import { expectConverged, expectOneWorkflowPerBatch } from './expectations.js';

/** SIGINT is PostgreSQL's fast shutdown (sessions get admin_shutdown), SIGQUIT its immediate one (crash recovery on start). */
const SHUTDOWNS = ['SIGINT', 'SIGQUIT'] as const;

async function eventsCommitted(scenario: FaultScenario): Promise<number> {
  const row = await scenario.db.selectFrom('outbox_events').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** A private server's start and restart come on top of the load and the convergence. */
const SCENARIO_TIMEOUT_MS = 400_000;

describe('14. PostgreSQL is restarted under load', () => {
  for (const seed of scenarioSeeds()) {
    it(`seed ${seed}: clients get 503 with Retry-After, never 500, and nothing committed is lost`, async () => {
      const random = seededRandom(seed);
      const postgres = await startPrivatePostgres();
      try {
        const scenario = await FaultScenario.create('14-postgres-restart', seed, { databaseServerUrl: postgres.serverUrl });
        await scenario.run(async () => {
          const parts = [await scenario.start('api'), await scenario.start('relay'), await scenario.start('worker')];
          const orders = between(random, 10, 16);
          const restartAfter = between(random, 4, orders * 2);
          const signal = SHUTDOWNS[(seed + 1) % 2]!; // seeds alternate: one of each in --seeds 2
          const tally = emptyTally();
          const load = driveOrders(scenario.apiUrl, random, orders, 4, tally);
          await eventually(`${restartAfter} events committed`, async () => (await eventsCommitted(scenario)) >= restartAfter, 60_000);
          const stoppedAt = Date.now();
          await postgres.kill(signal);
          const retriesBefore = tally.retries;
          // Down until the clients have felt it: a refused request, not a fixed pause.
          const refusalsWanted = between(random, 3, 15);
          await eventually(`${refusalsWanted} client requests refused while PostgreSQL was down`, async () => tally.retries - retriesBefore >= refusalsWanted, 30_000);
          const downMs = Date.now() - stoppedAt;
          await postgres.start();
          const healedAt = Date.now();
          await load;
          await expectPartsRunning(parts);
          const report = await scenario.converge(healedAt, { orders, signal, downMs, clientRetries: tally.retries, refusals: tally.refusals });
          // Before the fix a lost database answered 500; now every refusal is a 503 or no answer at all.
          expect(Object.keys(tally.refusals).filter((status) => status !== '503' && status !== 'connection' && status !== '409')).toEqual([]);
          expect(tally.refusals['503']).toBeGreaterThan(0);
          expect(report.eventsCommitted).toBe(orders * EVENTS_PER_ORDER);
          await expectAcknowledgedKept(scenario, tally.acknowledged);
          expectConverged(report);
          await expectOneWorkflowPerBatch(scenario);
        });
      } finally {
        await postgres.dispose();
      }
    }, SCENARIO_TIMEOUT_MS);
  }
});
