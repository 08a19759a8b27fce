import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { workflowIdForBatch, type ClaimedBatch } from '../../src/relay/claim.js';
import { BatchIdentityMismatchError } from '../../src/relay/batch-identity.js';
import { dispatchBatch } from '../../src/relay/dispatch.js';
import { uniqueName } from '../support/test-database.js';

let connection: Connection;
let client: Client;
beforeAll(async () => {
  connection = await Connection.connect({ address: inject('stack').temporalAddress });
  client = new Client({ connection });
});
afterAll(async () => {
  await connection?.close();
});

describe('dispatching a batch to Temporal', () => {
  it('starts one workflow per batch, however often the dispatch is retried', async () => {
    // No worker polls this queue: the workflow stays open, as after a crash mid-dispatch.
    const taskQueue = uniqueName('dispatch');
    const batchId = Date.now();
    const batch: ClaimedBatch = { batchId, workflowId: workflowIdForBatch(taskQueue, batchId), events: [] };

    const first = await dispatchBatch(client, taskQueue, batch);
    const retried = await dispatchBatch(client, taskQueue, batch);

    const firstRun = await first.describe();
    const retriedRun = await retried.describe();
    expect(retriedRun.runId).toBe(firstRun.runId);
    await first.terminate('test finished');
  });

  it('refuses to count a run of another batch under the same workflow id as this batch', async () => {
    const taskQueue = uniqueName('dispatch');
    const batchId = Date.now();
    const event = { position: 1, eventId: randomUUID(), aggregateId: randomUUID(), aggregateVersion: 1, type: 'OrderPlaced' };
    const batch: ClaimedBatch = { batchId, workflowId: workflowIdForBatch(taskQueue, batchId), events: [event] };
    // The run a point-in-time restore leaves behind: the same batch number, other events.
    const earlier = await dispatchBatch(client, taskQueue, { ...batch, events: [{ ...event, eventId: randomUUID() }] });

    await expect(dispatchBatch(client, taskQueue, batch)).rejects.toBeInstanceOf(BatchIdentityMismatchError);
    await earlier.terminate('test finished');
  });

  it('accepts a run started without a memo when its input carries this very batch', async () => {
    const taskQueue = uniqueName('dispatch');
    const batchId = Date.now();
    const event = { position: 1, eventId: randomUUID(), aggregateId: randomUUID(), aggregateVersion: 1, type: 'OrderPlaced' };
    const batch: ClaimedBatch = { batchId, workflowId: workflowIdForBatch(taskQueue, batchId), events: [event] };
    const earlier = await client.workflow.start('projectOutboxBatch', {
      taskQueue, workflowId: batch.workflowId, args: [{ batchId, events: [event] }],
    });

    const found = await dispatchBatch(client, taskQueue, batch);

    expect((await found.describe()).runId).toBe(earlier.firstExecutionRunId);
    await expect(dispatchBatch(client, taskQueue, { ...batch, events: [{ ...event, eventId: randomUUID() }] }))
      .rejects.toBeInstanceOf(BatchIdentityMismatchError);
    await earlier.terminate('test finished');
  });
});
