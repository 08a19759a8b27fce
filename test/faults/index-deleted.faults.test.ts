import { describe, expect, it } from 'vitest';
import { indicesBehind, supportSearchIndexNames } from '../../src/read-models/support-search/storage.js';
import { foldLog } from '../../src/read-models/verify/fold.js';
import type { RebuildProgress } from '../../workflows/rebuild-read-model.js';
import { call } from '../support/http.js';
import { eventually } from '../support/poll.js';
import { FaultScenario } from './harness.js';
import { driveOrders, EVENTS_PER_ORDER } from './load.js';
import { between, scenarioSeeds, seededRandom } from './seeds.js';
import { expectConverged } from './expectations.js';

const DELETE_WITHIN_MS = 60_000;

/** Support search ledger rows: some orders have reached the index. */
async function supportSearchApplied(scenario: FaultScenario): Promise<number> {
  const row = await scenario.db.selectFrom('processed_projection_events').select((eb) => eb.fn.countAll().as('n'))
    .where('projection', '=', 'support-search').executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Support search's failed batches as GET /ops/read-models lists them. */
async function failedSupportBatches(scenario: FaultScenario): Promise<number> {
  const status = await call(scenario.apiUrl, 'GET', '/ops/read-models', { role: 'operator' });
  const model = (status.body.readModels as Array<{ name: string; failedBatches: unknown[] | null }>).find((m) => m.name === 'support-search');
  return model?.failedBatches?.length ?? 0;
}

describe('9. the support index is deleted under load, then support search is rebuilt', () => {
  for (const seed of scenarioSeeds()) {
    it(`seed ${seed}: the rebuild restores it with equal counts and versions`, async () => {
      const random = seededRandom(seed);
      const scenario = await FaultScenario.create('9-support-index-deleted', seed);
      await scenario.run(async () => {
        await scenario.start('api');
        await scenario.start('relay');
        await scenario.start('worker');
        const prefix = scenario.env.SEARCH_INDEX_PREFIX!;
        const { alias } = supportSearchIndexNames(prefix);
        const orders = between(random, 6, 10);
        const load = driveOrders(scenario.apiUrl, random, orders);
        await eventually('some orders in the support index', async () => (await supportSearchApplied(scenario)) > 0, DELETE_WITHIN_MS);
        await scenario.search.indices.delete({ index: (await indicesBehind(scenario.search, alias)).join(',') });
        // One more order after the deletion, so its batches surely meet the missing index.
        const [tally, late] = await Promise.all([load, driveOrders(scenario.apiUrl, random, 1)]);
        // Every batch after the deletion fails for support search (the alias is gone) and is listed.
        await eventually('a failed support-search batch', async () => (await failedSupportBatches(scenario)) > 0, DELETE_WITHIN_MS);
        expect((await scenario.search.indices.exists({ index: alias })).body).toBe(false);

        const healedAt = Date.now();
        const started = await call(scenario.apiUrl, 'POST', '/ops/read-models/support-search/rebuild', { role: 'operator' });
        expect(started.status).toBe(202);
        const rebuild = scenario.temporal.workflow.getHandle((started.body as { workflowId: string }).workflowId);
        const result = await rebuild.result() as RebuildProgress;
        const rebuildMs = Date.now() - healedAt;
        expect(result.phase).toBe('done');

        const report = await scenario.converge(healedAt, { orders: orders + 1, clientRetries: tally.retries + late.retries, rebuildMs, rebuiltEvents: result.applied, failedBatches: await failedSupportBatches(scenario) });
        expect(report.eventsCommitted).toBe((orders + 1) * EVENTS_PER_ORDER);
        // The verifier compares every document's version and fields with the log; the counts too.
        expectConverged(report);
        await scenario.search.indices.refresh({ index: alias });
        expect((await scenario.search.count({ index: alias })).body.count).toBe((await foldLog(scenario.db)).orders.size);
        expect(await indicesBehind(scenario.search, alias)).toEqual([`${supportSearchIndexNames(prefix).index}-r1`]);
      });
    });
  }
});
