import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { WorkflowHandle } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import type { EventRef } from '../../src/outbox/envelope.js';
import { loadBatch } from '../../src/relay/batches.js';
import { readOutboxId, workflowIdForBatch, type ClaimedBatch } from '../../src/relay/claim.js';
import { batchSearchAttributes } from '../../src/relay/search-attributes.js';
import { readModelNames } from '../../src/read-models/registry.js';
import type { ProjectOutboxBatchInput, ProjectOutboxBatchResult, projectOutboxBatch } from '../../workflows/project-outbox-batch.js';
import { eventually } from '../support/poll.js';
import type { FaultScenario } from './harness.js';
import { measureScenario, type ScenarioReport } from './measure.js';
import { recordReport } from './report.js';

/** Every batch the relay has claimed so far, with its events in claim order. */
export async function claimedBatches(scenario: FaultScenario, where: { completed?: boolean } = {}): Promise<ClaimedBatch[]> {
  let query = scenario.db.selectFrom('outbox_batches').select('id').orderBy('id');
  if (where.completed) query = query.where('completed_at', 'is not', null);
  const outboxId = await readOutboxId(scenario.db);
  return Promise.all((await query.execute()).map((row) => loadBatch(scenario.db, outboxId, row.id)));
}

/**
 * Starts one more batch workflow of the relay's type on the scenario's task queue, under a
 * new id, as a second delivery of `events` would arrive: the worker cannot tell it apart.
 */
export async function startBatchRun(scenario: FaultScenario, workflowId: string, batchId: number, events: EventRef[]): Promise<WorkflowHandle<typeof projectOutboxBatch>> {
  return scenario.temporal.workflow.start<typeof projectOutboxBatch>('projectOutboxBatch', {
    taskQueue: scenario.taskQueue,
    workflowId,
    args: [{ batchId, events, readModels: readModelNames() }],
    typedSearchAttributes: batchSearchAttributes({ batchId, workflowId, events }),
  });
}

/** What an operator does in the UI or with `temporal workflow reset --type FirstWorkflowTask`; returns the new run's id. */
export async function resetToFirstWorkflowTask(scenario: FaultScenario, workflowId: string, reason: string): Promise<string> {
  const { runId } = await scenario.temporal.workflow.getHandle(workflowId).describe();
  const history = await scenario.temporal.workflow.getHandle(workflowId, runId).fetchHistory();
  const firstTask = history.events!.find((e) => e.eventType === temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED)!;
  const response = await scenario.temporal.workflowService.resetWorkflowExecution({
    namespace: scenario.temporal.options.namespace,
    workflowExecution: { workflowId, runId },
    workflowTaskFinishEventId: firstTask.eventId,
    reason,
    requestId: randomUUID(),
  });
  return response.runId!;
}

/** The events a batch workflow run was started with, read back from its history. */
export async function runInput(scenario: FaultScenario, workflowId: string): Promise<ProjectOutboxBatchInput> {
  const history = await scenario.temporal.workflow.getHandle(workflowId).fetchHistory();
  const payload = history.events![0]!.workflowExecutionStartedEventAttributes!.input!.payloads![0]!;
  return defaultPayloadConverter.fromPayload<ProjectOutboxBatchInput>(payload);
}

/** Sums each model's `applied` over the results of the given runs. */
export function appliedPerModel(results: ProjectOutboxBatchResult[]): Record<string, number> {
  const sums: Record<string, number> = {};
  for (const result of results) {
    for (const [model, outcome] of Object.entries(result.readModels)) sums[model] = (sums[model] ?? 0) + outcome.applied;
  }
  return sums;
}

/**
 * `scenario.converge`, plus the deliveries the measure cannot see from the relay's batches:
 * runs started under other ids and resets of a batch's workflow each deliver a batch again.
 */
export async function convergeCounting(scenario: FaultScenario, healedAt: number, extraDeliveries: number, details: Record<string, unknown> = {}): Promise<ScenarioReport> {
  const report = await measureScenario(scenario, healedAt, { ...details, extraBatchDeliveries: extraDeliveries });
  report.duplicateDeliveries.batchRedispatches += extraDeliveries;
  await recordReport(report);
  return report;
}

/**
 * Every batch dispatched, none flagged, and Temporal lists exactly one run per batch plus the
 * runs this scenario added on purpose (`alsoRuns`: a reset adds a run under the batch's id,
 * a second delivery a run under its own id).
 */
export async function expectBatchRuns(scenario: FaultScenario, alsoRuns: string[]): Promise<void> {
  const batches = await scenario.db.selectFrom('outbox_batches').selectAll().orderBy('id').execute();
  expect(batches.filter((batch) => batch.dispatched_at === null || batch.dispatch_error !== null)).toEqual([]);
  const outboxId = await readOutboxId(scenario.db);
  const expected = [...batches.map((batch) => workflowIdForBatch(outboxId, batch.id)), ...alsoRuns].sort();
  // The visibility store lags a little behind the workflows' starts.
  const listed = await eventually('Temporal lists every run', async () => {
    const runs: string[] = [];
    for await (const run of scenario.temporal.workflow.list({ query: `TaskQueue = '${scenario.taskQueue}'` })) runs.push(run.workflowId);
    return runs.length >= expected.length ? runs.sort() : undefined;
  }, 20_000);
  expect(listed).toEqual(expected);
}
