import { expect } from 'vitest';
import { readOutboxId, workflowIdForBatch } from '../../src/relay/claim.js';
import { eventually } from '../support/poll.js';
import type { FaultScenario } from './harness.js';
import type { ScenarioReport } from './measure.js';

/** What every scenario ends with: the verifier finds nothing, nothing lost, nothing applied twice. */
export function expectConverged(report: ScenarioReport): void {
  expect(report.findings).toEqual([]);
  expect(report.lost).toBe(0);
  expect(report.duplicateEffects).toBe(0);
  for (const applied of Object.values(report.applied)) expect(applied).toBe(report.eventsCommitted);
}

/** Every batch dispatched, none flagged, each with exactly one workflow run under its own id. */
export async function expectOneWorkflowPerBatch(scenario: FaultScenario): Promise<void> {
  const batches = await scenario.db.selectFrom('outbox_batches').selectAll().orderBy('id').execute();
  expect(batches.filter((batch) => batch.dispatched_at === null || batch.dispatch_error !== null)).toEqual([]);
  const outboxId = await readOutboxId(scenario.db);
  const expected = batches.map((batch) => workflowIdForBatch(outboxId, batch.id)).sort();
  // The visibility store lags a little behind the workflows' starts.
  const listed = await eventually('Temporal lists one run per batch', async () => {
    const runs: string[] = [];
    for await (const run of scenario.temporal.workflow.list({ query: `TaskQueue = '${scenario.taskQueue}'` })) runs.push(run.workflowId);
    return runs.length >= expected.length ? runs.sort() : undefined;
  }, 20_000);
  expect(listed).toEqual(expected);
}
