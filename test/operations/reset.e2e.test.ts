import { randomUUID } from 'node:crypto';
import { WorkflowFailedError, type WorkflowExecutionInfo } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readModelFreshness } from '../../src/read-models/checkpoints.js';
import { FailureTypes } from '../../src/read-models/failures/failure-types.js';
import { heldOrders } from '../../src/read-models/failures/holds.js';
import { readModelNames } from '../../src/read-models/registry.js';
import { call } from '../support/http.js';
import { placeOrderFor } from '../support/orders.js';
import { eventually } from '../support/poll.js';
import { startTestRuntime, type TestRuntime } from '../support/test-runtime.js';

let app: TestRuntime;
beforeAll(async () => {
  app = await startTestRuntime();
});
afterAll(async () => {
  await app?.stop();
});

const POISON_FLAG = 'refused-by-test';

/** The order as GET /orders/{id} shows it, once it has reached `version`. */
async function visibleAt(orderId: string, version: number) {
  const response = await call(app.url, 'GET', `/orders/${orderId}?minVersion=${version}&waitMs=5000`);
  return response.status === 200 && response.body.freshness.sourceVersion === version ? response.body : undefined;
}

async function firstFailedBatch(): Promise<WorkflowExecutionInfo> {
  return eventually('a failed batch workflow', async () => {
    const query = `TaskQueue = '${app.config.taskQueue}' AND ExecutionStatus = 'Failed'`;
    for await (const workflow of app.temporal.workflow.list({ query })) return workflow;
    return undefined;
  }, 60_000);
}

/** What an operator does in the UI or with `temporal workflow reset --type FirstWorkflowTask`. */
async function resetToFirstWorkflowTask(workflowId: string, runId: string): Promise<void> {
  const history = await app.temporal.workflow.getHandle(workflowId, runId).fetchHistory();
  const firstTask = history.events!.find((e) => e.eventType === temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED)!;
  await app.temporal.workflowService.resetWorkflowExecution({
    namespace: app.config.temporalNamespace,
    workflowExecution: { workflowId, runId },
    workflowTaskFinishEventId: firstTask.eventId,
    reason: 'constraint removed',
    requestId: randomUUID(),
  });
}

describe('a batch that fails for good, then is reset after the fix', () => {
  it('fails with the cause, lets other orders through, and converges once reset', async () => {
    await sql`alter table order_summary add constraint refuse_test_flag check (not (${sql.lit(POISON_FLAG)} = any(risk_flags)))`.execute(app.db);
    const { orderId } = await placeOrderFor(app.url);
    await eventually('the order projected', () => visibleAt(orderId, 1));
    const flagged = await call(app.url, 'POST', `/orders/${orderId}/risk-flags`, { role: 'support', body: { flag: POISON_FLAG, reason: 'test' } });
    expect(flagged.status).toBeLessThan(300);
    const refused = await app.db.selectFrom('outbox_events').select('event_id').where('aggregate_id', '=', orderId).where('aggregate_version', '=', 2).executeTakeFirstOrThrow();

    // Given the batch workflow failed, naming the cause.
    const failed = await firstFailedBatch();
    const failure = await app.temporal.workflow.getHandle(failed.workflowId, failed.runId).result().catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(WorkflowFailedError);
    expect((failure as WorkflowFailedError).cause?.cause).toMatchObject({
      type: FailureTypes.eventRejected, nonRetryable: true,
      details: [{ readModel: 'order-status', eventId: refused.event_id, orderId, version: 2, reason: expect.stringContaining('constraint refuse_test_flag') }],
    });
    expect(await heldOrders(app.db, 'order-status')).toMatchObject([{ orderId, version: 2 }]);

    // Meanwhile other orders keep flowing.
    const other = await placeOrderFor(app.url);
    expect(await eventually('another order projected', () => visibleAt(other.orderId, 1))).toMatchObject({ orderId: other.orderId });

    // When the operator removes the cause and resets the failed workflow.
    await sql`alter table order_summary drop constraint refuse_test_flag`.execute(app.db);
    await resetToFirstWorkflowTask(failed.workflowId, failed.runId);
    await app.temporal.workflow.getHandle(failed.workflowId).result();

    // Then it converges: the order at its latest version, each event once per model, checkpoints at the head.
    expect(await eventually('the order at version 2', () => visibleAt(orderId, 2))).toMatchObject({ riskFlags: [POISON_FLAG] });
    expect(await heldOrders(app.db, 'order-status')).toEqual([]);
    const eventIds = (await app.db.selectFrom('outbox_events').select('event_id').execute()).map((r) => r.event_id).sort();
    for (const model of readModelNames()) {
      const ledger = await app.db.selectFrom('processed_projection_events').select('event_id').where('projection', '=', model).execute();
      expect(ledger.map((r) => r.event_id).sort()).toEqual(eventIds);
      expect(await eventually(`${model} caught up`, async () => {
        const freshness = await readModelFreshness(app.db, model);
        return freshness.lagEvents === 0 ? freshness : undefined;
      })).toMatchObject({ position: eventIds.length, lagMs: 0 });
    }
  });
});
