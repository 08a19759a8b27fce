import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { WorkflowFailedError } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { ReadModel } from '../../src/read-models/read-model.js';
import { readModels } from '../../src/read-models/registry.js';
import { batchSearchAttributes } from '../../src/relay/search-attributes.js';
import { createProjectionWorker } from '../../src/temporal/worker.js';
import { FAILED_READ_MODELS } from '../../workflows/search-attributes.js';
import { orderWithEvents } from '../support/order-events.js';
import { eventually } from '../support/poll.js';
import { startTestRuntime, type TestRuntime } from '../support/test-runtime.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
// Unique per run: the shared server keeps failed runs of earlier runs, which must not match.
const LATE_MODEL = `late-model-${randomUUID().slice(0, 8)}`;
const taskQueue = `redrive-${randomUUID()}`;
/** A read model the first worker does not have yet (a rollback, a model deployed late). */
const lateModel: ReadModel = { name: LATE_MODEL, version: 1, store: 'postgres', handles: [], apply: async () => ({ applied: 0, skipped: 0 }) };

let app: TestRuntime;
let stopWorker: () => Promise<void> = async () => undefined;

async function startWorker(models: readonly ReadModel[]): Promise<void> {
  await stopWorker();
  const { worker, close } = await createProjectionWorker({
    db: app.db, search: app.search, searchIndexPrefix: app.searchIndexPrefix, readModels: models,
    temporalAddress: inject('stack').temporalAddress, namespace: 'default', taskQueue, workflowBundle: { code: inject('workflowBundle') },
  });
  const running = worker.run();
  stopWorker = async () => {
    worker.shutdown();
    await running;
    await close();
  };
}

beforeAll(async () => {
  app = await startTestRuntime();
  await startWorker(readModels);
});
afterAll(async () => {
  await stopWorker();
  for await (const run of app.temporal.workflow.list({ query: `TaskQueue = '${taskQueue}' AND ExecutionStatus = 'Running'` })) {
    await app.temporal.workflow.getHandle(run.workflowId).terminate('test finished').catch(() => undefined);
  }
  await app?.stop();
});

/** A batch of one order's events naming a read model the worker does not know: it fails for good. */
async function failingBatch(): Promise<{ workflowId: string; orderId: string; eventCount: number }> {
  const events = (await orderWithEvents(app.db, [])).map(({ position, eventId, aggregateId, aggregateVersion, type }) => ({ position, eventId, aggregateId, aggregateVersion, type }));
  const workflowId = `redrive-test-${randomUUID()}`;
  const handle = await app.temporal.workflow.start('projectOutboxBatch', {
    taskQueue, workflowId, args: [{ batchId: 0, events, readModels: ['order-status', LATE_MODEL] }],
    typedSearchAttributes: batchSearchAttributes({ batchId: 0, workflowId, events }),
  });
  await expect(handle.result()).rejects.toThrow(WorkflowFailedError);
  return { workflowId, orderId: events[0]!.aggregateId, eventCount: events.length };
}

async function listUntil(query: string, expected: string[]): Promise<void> {
  await eventually(`visibility query ${query}`, async () => {
    const found: string[] = [];
    for await (const run of app.temporal.workflow.list({ query })) found.push(run.workflowId);
    return found.sort().join() === [...expected].sort().join();
  });
}

async function redrive(...args: string[]): Promise<string> {
  const env = { ...process.env, TEMPORAL_ADDRESS: inject('stack').temporalAddress, TEMPORAL_NAMESPACE: 'default' };
  const { stdout } = await promisify(execFile)('npx', ['tsx', 'src/redrive.ts', ...args], { cwd: root, env });
  return stdout;
}

const failedBy = (name: string) => `ExecutionStatus = "Failed" AND FailedReadModels = "${name}"`;

describe('failed batch workflows', () => {
  let first: Awaited<ReturnType<typeof failingBatch>>;
  let second: Awaited<ReturnType<typeof failingBatch>>;

  it('name the failed read model in FailedReadModels, after the other models finished', async () => {
    first = await failingBatch();
    second = await failingBatch();
    const handle = app.temporal.workflow.getHandle(first.workflowId);
    expect((await handle.describe()).typedSearchAttributes.get(FAILED_READ_MODELS)).toEqual([LATE_MODEL]);
    const history = await handle.fetchHistory();
    const completed = history.events!.filter((e) => e.eventType === temporal.api.enums.v1.EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED);
    expect(completed).toHaveLength(1); // order-status finished before the workflow failed
    // The patch marker and the upsert are part of the history: it replays on this code.
    await expect(Worker.runReplayHistory({ workflowBundle: { code: inject('workflowBundle') } }, history, first.workflowId)).resolves.toBeUndefined();
    await listUntil(failedBy(LATE_MODEL), [first.workflowId, second.workflowId]);
  });

  it('are re-driven by order, then by read model, once the cause is fixed, and then complete', async () => {
    await startWorker([...readModels, lateModel]); // the fix: a worker that knows the model
    await listUntil(`ExecutionStatus = "Failed" AND OrderIds = "${first.orderId}"`, [first.workflowId]);

    expect(await redrive('--order', first.orderId)).toContain(`reset ${first.workflowId}`);
    const result = await app.temporal.workflow.getHandle(first.workflowId).result();
    expect(result.readModels[LATE_MODEL]).toEqual({ applied: 0, skipped: first.eventCount });
    expect((await app.temporal.workflow.getHandle(second.workflowId).describe()).status.name).toBe('FAILED');

    const byModel = await redrive('--read-model', LATE_MODEL);
    expect(byModel).toContain(`reset ${second.workflowId}`);
    expect(byModel).toContain(`skipped ${first.workflowId}`); // its failed run was already re-driven
    expect((await app.temporal.workflow.getHandle(second.workflowId).result()).readModels[LATE_MODEL]).toBeDefined();
    expect(await redrive('--read-model', LATE_MODEL)).toContain('0 batch(es) re-driven');
  });
});
