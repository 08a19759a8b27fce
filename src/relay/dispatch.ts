import { WorkflowExecutionAlreadyStartedError, type Client, type WorkflowHandle } from '@temporalio/client';
import type { projectOutboxBatch } from '../../workflows/project-outbox-batch.js';
import { readModelNames } from '../read-models/registry.js';
import type { ClaimedBatch } from './claim.js';

export type BatchWorkflowHandle = WorkflowHandle<typeof projectOutboxBatch>;

/**
 * Starts the batch's workflow. The id comes from the batch and reuse is rejected, so a
 * dispatch retried after a crash or a lost response finds the first run instead of
 * starting a second one: either way the batch runs exactly once.
 */
export async function dispatchBatch(client: Client, taskQueue: string, batch: ClaimedBatch): Promise<BatchWorkflowHandle> {
  try {
    return await client.workflow.start<typeof projectOutboxBatch>('projectOutboxBatch', {
      taskQueue,
      workflowId: batch.workflowId,
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      args: [{ batchId: batch.batchId, events: batch.events, readModels: readModelNames() }],
    });
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) {
      return client.workflow.getHandle<typeof projectOutboxBatch>(batch.workflowId);
    }
    throw error;
  }
}
