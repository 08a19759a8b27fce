import { randomUUID } from 'node:crypto';
import { ApplicationFailure, Context } from '@temporalio/activity';
import { ActivityFailure, WorkflowFailedError, defaultPayloadConverter, type WorkflowHandle, type WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { createRebuildActivities, ReplayChunkInput } from '../../activities/rebuild-activities.js';
import { FailureTypes } from '../../src/read-models/failures/failure-types.js';
import type { ReplayChunk } from '../../src/read-models/rebuild/replay.js';
import { temporalExecutablePath } from '../../src/stack/temporal.js';
import type { RebuildProgress, RebuildReadModelInput } from '../../workflows/rebuild-read-model.js';
import { eventually } from '../support/poll.js';

/**
 * The rebuild workflow on its own: a throwaway Temporal dev server runs the real workflow
 * bundle; the activities stand in for a log of `head` events (the stores are covered by
 * test/read-models/rebuild.e2e.test.ts).
 */
type Activities = ReturnType<typeof createRebuildActivities>;
type Call = { activity: keyof Activities; from?: number; runId: string; attempt: number };

let env: TestWorkflowEnvironment;

beforeAll(async () => {
  const path = await temporalExecutablePath();
  env = await TestWorkflowEnvironment.createLocal({ server: { executable: { type: 'existing-path', path } } });
});

afterAll(async () => {
  await env?.teardown();
});

interface LogStandIn {
  head: number;
  /** Runs before a replay step answers: may throw, or wait. */
  beforeReplay?: (input: ReplayChunkInput) => Promise<void> | void;
}

function standInActivities(calls: Call[], log: LogStandIn): Activities {
  const record = (activity: keyof Activities, from?: number) => {
    const { workflowExecution, attempt } = Context.current().info;
    calls.push({ activity, from, runId: workflowExecution?.runId ?? '', attempt });
  };
  const replay = ({ from, limit }: ReplayChunkInput): ReplayChunk => {
    const next = Math.min(from + limit, log.head);
    return { next, applied: next - from, head: log.head };
  };
  return {
    prepareShadow: () => Promise.resolve(record('prepareShadow')),
    replayChunk: async (input) => {
      record('replayChunk', input.from);
      await log.beforeReplay?.(input);
      return replay(input);
    },
    swapIn: (input) => Promise.resolve((record('swapIn', input.from), replay({ ...input, limit: Number.MAX_SAFE_INTEGER }))),
  };
}

/** Starts one rebuild on a fresh task queue and runs a worker until `until` settles. */
async function runRebuild<T>(input: RebuildReadModelInput, log: LogStandIn, until: (handle: WorkflowHandleWithFirstExecutionRunId) => Promise<T>) {
  const taskQueue = `rebuild-${randomUUID()}`;
  const calls: Call[] = [];
  const worker = await Worker.create({
    connection: env.nativeConnection, taskQueue, workflowBundle: { code: inject('workflowBundle') }, activities: standInActivities(calls, log),
  });
  const handle = await env.client.workflow.start('rebuildReadModel', { taskQueue, workflowId: `rebuild-test-${randomUUID()}`, args: [input] });
  const outcome = await worker.runUntil(until(handle));
  return { outcome, calls, handle };
}

const settle = (handle: WorkflowHandle) =>
  handle.result().then((result: RebuildProgress) => ({ result, error: undefined }), (error: unknown) => ({ result: undefined, error }));

type HistoryEvents = NonNullable<Awaited<ReturnType<WorkflowHandle['fetchHistory']>>['events']>;

/** Every run of a workflow, first to last, each with the input it started with. */
async function runsOf(handle: WorkflowHandleWithFirstExecutionRunId): Promise<Array<{ runId: string; input: RebuildReadModelInput }>> {
  const runs: Array<{ runId: string; input: RebuildReadModelInput }> = [];
  let runId: string | undefined = handle.firstExecutionRunId;
  while (runId) {
    const events: HistoryEvents = (await env.client.workflow.getHandle(handle.workflowId, runId).fetchHistory()).events ?? [];
    const started = events[0]!.workflowExecutionStartedEventAttributes!;
    runs.push({ runId, input: defaultPayloadConverter.fromPayload(started.input!.payloads![0]!) });
    runId = events.at(-1)?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? undefined;
  }
  return runs;
}

describe('the rebuild workflow', () => {
  it('continues as new every chunksPerRun chunks carrying position, applied and runs, and swaps once near the head', async () => {
    // 40 events, 2 per chunk, 3 chunks per run: the swap comes once the rest is 4 chunks (8 events) or less.
    const { outcome, calls, handle } = await runRebuild({ readModel: 'order-status', chunkSize: 2, chunksPerRun: 3 }, { head: 40 }, settle);

    expect(outcome.error).toBeUndefined();
    expect(outcome.result).toEqual({ readModel: 'order-status', phase: 'done', position: 40, head: 40, applied: 40, runs: 6 });
    const runs = await runsOf(handle);
    expect(runs.map((r) => r.input)).toEqual([
      { readModel: 'order-status', chunkSize: 2, chunksPerRun: 3 },
      ...[6, 12, 18, 24, 30].map((position, i) => ({ readModel: 'order-status', chunkSize: 2, chunksPerRun: 3, fromLogPosition: position, applied: position, runs: i + 2 })),
    ]);
    const replaysPerRun = runs.map((run) => calls.filter((c) => c.runId === run.runId && c.activity === 'replayChunk').length);
    expect(replaysPerRun).toEqual([3, 3, 3, 3, 3, 1]);
    expect(calls.filter((c) => c.activity === 'prepareShadow').map((c) => c.runId)).toEqual([runs[0]!.runId]);
    expect(calls.filter((c) => c.activity === 'swapIn').map((c) => ({ from: c.from, runId: c.runId }))).toEqual([{ from: 32, runId: runs[5]!.runId }]);
    expect(calls.at(-1)?.activity).toBe('swapIn');
  });

  it('answers the progress query while a run replays', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => { release = resolve; });
    const log: LogStandIn = { head: 40, beforeReplay: ({ from }) => (from === 8 ? held : undefined) };

    const { outcome } = await runRebuild({ readModel: 'customer-history', chunkSize: 2, chunksPerRun: 3 }, log, async (handle) => {
      // The second run waits in its second chunk (from 8): its progress is the first run's plus one chunk.
      const during = await eventually('the replay of position 8 under way', async () => {
        const progress = await env.client.workflow.getHandle(handle.workflowId).query<RebuildProgress>('progress');
        return progress.position === 8 ? progress : undefined;
      });
      release();
      return { during, after: await settle(handle) };
    });

    expect(outcome.during).toEqual({ readModel: 'customer-history', phase: 'replaying', position: 8, head: 40, applied: 8, runs: 2 });
    expect(outcome.after.result?.phase).toBe('done');
  });

  it('swaps in the first run when the log is already close to the head, without continuing as new', async () => {
    const { outcome, calls, handle } = await runRebuild({ readModel: 'order-status', chunkSize: 10, chunksPerRun: 3 }, { head: 45 }, settle);

    expect(outcome.result).toEqual({ readModel: 'order-status', phase: 'done', position: 45, head: 45, applied: 45, runs: 1 });
    expect(await runsOf(handle)).toHaveLength(1);
    expect(calls.map((c) => c.activity)).toEqual(['prepareShadow', 'replayChunk', 'swapIn']);
  });

  it('fails at once, without a retry or a swap, when the replay refuses an event', async () => {
    const log: LogStandIn = {
      head: 40,
      // Thrown as retryable on purpose: the workflow's policy alone must stop the retries.
      beforeReplay: ({ from }) => {
        if (from === 4) throw ApplicationFailure.retryable('order-status refused event e-5', FailureTypes.eventRejected, { eventIds: ['e-5'] });
      },
    };

    const { outcome, calls } = await runRebuild({ readModel: 'order-status', chunkSize: 2, chunksPerRun: 3 }, log, settle);

    expect(outcome.error).toBeInstanceOf(WorkflowFailedError);
    const failure = (outcome.error as WorkflowFailedError).cause;
    expect(failure).toBeInstanceOf(ActivityFailure);
    expect((failure?.cause as ApplicationFailure).type).toBe(FailureTypes.eventRejected);
    expect(calls.filter((c) => c.from === 4)).toEqual([expect.objectContaining({ attempt: 1 })]);
    expect(calls.some((c) => c.activity === 'swapIn')).toBe(false);
  });
});
