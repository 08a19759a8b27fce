import { setTimeout as pause } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { readModelNames } from '../../src/read-models/registry.js';
import { eventually } from '../support/poll.js';
import { expectAcknowledgedKept, expectPartsRunning } from './survival.js';
import { FaultScenario } from './harness.js';
import { driveOrders, emptyTally, EVENTS_PER_ORDER } from './load.js';
import { startPrivateOpenSearch, type PrivateOpenSearch } from './private-services.js';
import { between, scenarioSeeds, seededRandom } from './seeds.js';
import { expectConverged, expectOneWorkflowPerBatch } from './expectations.js';

const OUTAGE_MS = 30_000;
const SEARCH_MODEL = 'support-search';
/** After the heal, the search activity's next retry comes at most 30 s later (its backoff cap). */
const CONVERGE_WITHIN_MS = 90_000;

/** SIGSTOP: OpenSearch holds every connection and answers nothing; stop: it refuses them, then starts again on its data. */
const OUTAGES = ['paused', 'stopped'] as const;
type Outage = (typeof OUTAGES)[number];

async function appliedPerModel(scenario: FaultScenario): Promise<Record<string, number>> {
  const rows = await scenario.db.selectFrom('processed_projection_events')
    .select((eb) => ['projection', eb.fn.countAll().as('n')]).groupBy('projection').execute();
  return Object.fromEntries(rows.map((row) => [row.projection, Number(row.n)]));
}

async function eventsCommitted(scenario: FaultScenario): Promise<number> {
  const row = await scenario.db.selectFrom('outbox_events').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

async function breakOpenSearch(opensearch: PrivateOpenSearch, outage: Outage): Promise<void> {
  if (outage === 'paused') opensearch.pause();
  else await opensearch.kill('SIGTERM');
}

async function healOpenSearch(opensearch: PrivateOpenSearch, outage: Outage): Promise<void> {
  if (outage === 'paused') opensearch.resume();
  else await opensearch.start();
}

/** A private server's start and restart come on top of the load and the convergence. */
const SCENARIO_TIMEOUT_MS = 600_000;

describe('8. OpenSearch is paused or stopped for 30 s under load, then healed', () => {
  for (const seed of scenarioSeeds()) {
    it(`seed ${seed}: the other read models keep flowing, and every document ends at its order's version`, async () => {
      const random = seededRandom(seed);
      const outage = OUTAGES[(seed + 1) % 2]!; // seeds alternate: one of each in --seeds 2
      const opensearch = await startPrivateOpenSearch();
      try {
        const scenario = await FaultScenario.create('8-opensearch-outage', seed, { opensearchUrl: opensearch.url });
        await scenario.run(async () => {
          const parts = [await scenario.start('api'), await scenario.start('relay'), await scenario.start('worker')];
          const orders = between(random, 24, 36);
          const breakAfter = between(random, 4, 24);
          const tally = emptyTally();
          const load = driveOrders(scenario.apiUrl, random, orders, 3, tally);
          await eventually(`${breakAfter} events committed`, async () => (await eventsCommitted(scenario)) >= breakAfter, 60_000);
          const brokenAt = Date.now();
          await breakOpenSearch(opensearch, outage);
          const atBreak = await appliedPerModel(scenario);
          // The PostgreSQL read models do not wait for the search index.
          const others = readModelNames().filter((model) => model !== SEARCH_MODEL);
          await eventually('the other read models apply new events while OpenSearch is out', async () => {
            const now = await appliedPerModel(scenario);
            return others.every((model) => (now[model] ?? 0) >= (atBreak[model] ?? 0) + EVENTS_PER_ORDER) ? now : undefined;
          }, OUTAGE_MS);
          const flowedAfterMs = Date.now() - brokenAt;
          await pause(Math.max(0, brokenAt + OUTAGE_MS - Date.now())); // the outage lasts 30 s: its length, not a synchronization
          const duringOutage = await appliedPerModel(scenario);
          const committed = await eventsCommitted(scenario);
          expect(duringOutage[SEARCH_MODEL] ?? 0).toBeLessThan(committed);
          for (const model of others) expect(duringOutage[model]).toBeGreaterThan(duringOutage[SEARCH_MODEL] ?? 0);
          await healOpenSearch(opensearch, outage);
          const healedAt = Date.now();
          await load;
          await expectPartsRunning(parts);
          const report = await scenario.converge(healedAt, {
            orders, outage, outageMs: healedAt - brokenAt, flowedAfterMs, clientRetries: tally.retries,
            appliedAtBreak: atBreak, appliedBeforeHeal: duringOutage,
          });
          expect(report.eventsCommitted).toBe(orders * EVENTS_PER_ORDER);
          await expectAcknowledgedKept(scenario, tally.acknowledged);
          expectConverged(report);
          expect(report.convergenceMs).toBeLessThan(CONVERGE_WITHIN_MS);
          await expectOneWorkflowPerBatch(scenario);
        });
      } finally {
        await opensearch.dispose();
      }
    }, SCENARIO_TIMEOUT_MS);
  }
});
