import { WorkflowExecutionAlreadyStartedError, type Client, type WorkflowHandle } from '@temporalio/client';
import type { projectOutboxBatch } from '../../workflows/project-outbox-batch.js';
import { assertRunCarriesBatch, BATCH_MEMO_KEY, batchIdentity } from './batch-identity.js';
import type { ClaimedBatch } from './claim.js';

export type BatchWorkflowHandle = WorkflowHandle<typeof projectOutboxBatch>;

/**
 * Starts the batch's workflow. The id comes from the batch and reuse is rejected, so a
 * dispatch retried after a crash or a lost response finds the first run instead of
 * starting a second one: either way the batch runs exactly once. A run found under the id
 * must carry this very batch (see `assertRunCarriesBatch`); otherwise this throws
 * `BatchIdentityMismatchError` rather than count another batch's run as this one's.
 */
export async function dispatchBatch(client: Client, taskQueue: string, batch: ClaimedBatch): Promise<BatchWorkflowHandle> {
  try {
    return await client.workflow.start<typeof projectOutboxBatch>('projectOutboxBatch', {
      taskQueue,
      workflowId: batch.workflowId,
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      args: [{ batchId: batch.batchId, events: batch.events }],
      memo: { [BATCH_MEMO_KEY]: batchIdentity(batch) },
    });
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) {
      const handle = client.workflow.getHandle<typeof projectOutboxBatch>(batch.workflowId);
      assertRunCarriesBatch(batch, (await handle.describe()).memo);
      return handle;
    }
    throw error;
  }
}
