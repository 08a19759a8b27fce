import { randomUUID } from 'node:crypto';
import { ApplicationFailure, Context } from '@temporalio/activity';
import { ActivityFailure, WorkflowFailedError } from '@temporalio/client';
import { tsToMs } from '@temporalio/common/lib/time.js';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { createReadModelActivities } from '../../activities/read-model-activities.js';
import { FailureTypes, permanentFailureTypes } from '../../src/read-models/failures/failure-types.js';
import { temporalExecutablePath } from '../../src/stack/temporal.js';
import type { ProjectOutboxBatchInput, ProjectOutboxBatchResult } from '../../workflows/project-outbox-batch.js';
import { BATCH_SEARCH_ATTRIBUTES } from '../../workflows/search-attributes.js';

/**
 * The batch workflow on its own: a throwaway Temporal dev server (the project's own CLI
 * binary) runs the real workflow bundle while the activities are stand-ins that record
 * their calls and fail on demand. The stores are covered by the activities' own tests.
 */
type Activities = ReturnType<typeof createReadModelActivities>;
type Call = { activity: keyof Activities; readModel: string; attempt: number };
type Behaviour = (call: Call) => void;

let env: TestWorkflowEnvironment;

beforeAll(async () => {
  const path = await temporalExecutablePath();
  // The batch workflow upserts FailedReadModels when a model fails: the server must know it.
  env = await TestWorkflowEnvironment.createLocal({ server: { executable: { type: 'existing-path', path }, searchAttributes: [...BATCH_SEARCH_ATTRIBUTES] } });
});

afterAll(async () => {
  await env?.teardown();
});

function standInActivities(calls: Call[], behave: Behaviour): Activities {
  const record = (activity: keyof Activities, readModel: string) => {
    const call = { activity, readModel, attempt: Context.current().info.attempt };
    calls.push(call);
    behave(call);
    return Promise.resolve({ applied: 1, skipped: 0 });
  };
  return {
    applyReadModel: ({ readModel }) => record('applyReadModel', readModel),
    projectOrderSummary: () => record('projectOrderSummary', 'order-status'),
    projectSearchIndex: () => record('projectSearchIndex', 'support-search'),
  };
}

function batchInput(readModels?: string[]): ProjectOutboxBatchInput {
  const events = [{ position: 1, eventId: randomUUID(), aggregateId: randomUUID(), aggregateVersion: 1, type: 'OrderPlaced' }];
  return readModels ? { batchId: 1, events, readModels } : { batchId: 1, events };
}

/** Runs one batch workflow to its end on a fresh task queue; a failed batch comes back as its error. */
async function runBatch(input: ProjectOutboxBatchInput, behave: Behaviour = () => undefined) {
  const taskQueue = `batch-${randomUUID()}`;
  const workflowId = `outbox-test-batch-${randomUUID()}`;
  const calls: Call[] = [];
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: { code: inject('workflowBundle') },
    activities: standInActivities(calls, behave),
  });
  const outcome = await worker.runUntil(
    env.client.workflow
      .execute('projectOutboxBatch', { taskQueue, workflowId, args: [input] })
      .then((result: ProjectOutboxBatchResult) => ({ result, error: undefined }), (error: unknown) => ({ result: undefined, error })),
  );
  return { ...outcome, calls, history: await env.client.workflow.getHandle(workflowId).fetchHistory() };
}

function scheduledActivities(history: Awaited<ReturnType<typeof runBatch>>['history']) {
  return (history.events ?? []).flatMap((e) => (e.activityTaskScheduledEventAttributes ? [e.activityTaskScheduledEventAttributes] : []));
}

describe('the batch workflow', () => {
  it('schedules each activity with the retry policy: 0.5 s doubling to at most 30 s, permanent failure types excluded', async () => {
    const { history } = await runBatch(batchInput(['order-status', 'support-search']));

    const policies = scheduledActivities(history).map((a) => a.retryPolicy!);
    expect(policies).toHaveLength(2);
    for (const policy of policies) {
      expect(tsToMs(policy.initialInterval)).toBe(500);
      expect(policy.backoffCoefficient).toBe(2);
      expect(tsToMs(policy.maximumInterval)).toBe(30_000);
      expect([...(policy.nonRetryableErrorTypes ?? [])].sort()).toEqual([...permanentFailureTypes].sort());
    }
  });

  it('gives every read model named in the input exactly one activity and returns each outcome', async () => {
    const readModels = ['order-status', 'customer-history', 'support-search', 'agent-timeline', 'ops-dashboard'];

    const { result, calls, history } = await runBatch(batchInput(readModels));

    expect(calls.map((c) => c.readModel).sort()).toEqual([...readModels].sort());
    expect(calls.every((c) => c.activity === 'applyReadModel' && c.attempt === 1)).toBe(true);
    expect(scheduledActivities(history)).toHaveLength(readModels.length);
    expect(result).toEqual({ batchId: 1, readModels: Object.fromEntries(readModels.map((name) => [name, { applied: 1, skipped: 0 }])) });
  });

  it('retries a transient error with backoff and completes the batch', async () => {
    const { result, calls } = await runBatch(batchInput(['order-status', 'support-search']), (call) => {
      if (call.readModel === 'support-search' && call.attempt < 3) throw new Error('search store unavailable');
    });

    expect(calls.filter((c) => c.readModel === 'support-search').map((c) => c.attempt)).toEqual([1, 2, 3]);
    expect(calls.filter((c) => c.readModel === 'order-status').map((c) => c.attempt)).toEqual([1]);
    expect(result?.readModels['support-search']).toEqual({ applied: 1, skipped: 0 });
  });

  it('does not retry a permanent failure type and fails the batch with its details', async () => {
    const details = { readModel: 'order-status', eventId: 'e-1', reason: 'sqlstate 23514, constraint order_summary_total_check' };

    // Thrown as retryable on purpose: the workflow's policy alone must stop the retries.
    const { error, calls } = await runBatch(batchInput(['order-status']), () => {
      throw ApplicationFailure.retryable('read model order-status refused event e-1', FailureTypes.eventRejected, details);
    });

    expect(calls).toHaveLength(1);
    expect(error).toBeInstanceOf(WorkflowFailedError);
    const activityFailure = (error as WorkflowFailedError).cause;
    expect(activityFailure).toBeInstanceOf(ActivityFailure);
    expect(activityFailure?.cause).toBeInstanceOf(ApplicationFailure);
    const failure = activityFailure?.cause as ApplicationFailure;
    expect(failure.type).toBe(FailureTypes.eventRejected);
    expect(failure.details).toEqual([details]);
  });

  it('runs an input from before the registry (no readModels) through the legacy activities', async () => {
    const { result, calls, history } = await runBatch(batchInput());

    expect(calls.map((c) => c.activity).sort()).toEqual(['projectOrderSummary', 'projectSearchIndex']);
    expect(scheduledActivities(history).map((a) => a.activityType?.name).sort()).toEqual(['projectOrderSummary', 'projectSearchIndex']);
    expect(Object.keys(result?.readModels ?? {}).sort()).toEqual(['order-status', 'support-search']);
  });
});
