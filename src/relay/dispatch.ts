import { WorkflowExecutionAlreadyStartedError, type Client, type WorkflowExecutionDescription, type WorkflowHandle } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import type { ProjectOutboxBatchInput, projectOutboxBatch } from '../../workflows/project-outbox-batch.js';
import { BATCH_MEMO_KEY, BatchIdentityMismatchError, batchIdentity, identityInMemo, sameIdentity } from './batch-identity.js';
import { recordWorkflowStart } from '../metrics/relay-metrics.js';
import { readModelNames } from '../read-models/registry.js';
import type { ClaimedBatch } from './claim.js';
import { batchSearchAttributes } from './search-attributes.js';

export type BatchWorkflowHandle = WorkflowHandle<typeof projectOutboxBatch>;

/**
 * Starts the batch's workflow. The id comes from the batch and reuse is rejected, so a
 * dispatch retried after a crash or a lost response finds the first run instead of
 * starting a second one: either way the batch runs exactly once. A run found under the id
 * must carry this very batch; otherwise this throws `BatchIdentityMismatchError` rather than
 * count another batch's run as this one's.
 */
export async function dispatchBatch(client: Client, taskQueue: string, batch: ClaimedBatch): Promise<BatchWorkflowHandle> {
  try {
    const started = await client.workflow.start<typeof projectOutboxBatch>('projectOutboxBatch', {
      taskQueue,
      workflowId: batch.workflowId,
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      args: [{ batchId: batch.batchId, events: batch.events, readModels: readModelNames() }],
      memo: { [BATCH_MEMO_KEY]: batchIdentity(batch) },
      typedSearchAttributes: batchSearchAttributes(batch),
    });
    recordWorkflowStart();
    return started;
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) {
      const handle = client.workflow.getHandle<typeof projectOutboxBatch>(batch.workflowId);
      await assertRunCarriesBatch(handle, batch);
      return handle;
    }
    throw error;
  }
}

/** Throws `BatchIdentityMismatchError` unless the run under the batch's workflow id carries its events. */
export async function assertRunCarriesBatch(handle: WorkflowHandle, batch: ClaimedBatch, run?: WorkflowExecutionDescription): Promise<void> {
  const description = run ?? (await handle.describe());
  // Runs started before batches carried a memo still hold the batch in their input.
  const found = identityInMemo(description.memo) ?? (await identityInStartInput(handle));
  if (!sameIdentity(found, batchIdentity(batch))) throw new BatchIdentityMismatchError(batch, found);
}

async function identityInStartInput(handle: WorkflowHandle) {
  const history = await handle.fetchHistory();
  const payload = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
  return payload ? batchIdentity(defaultPayloadConverter.fromPayload<ProjectOutboxBatchInput>(payload)) : undefined;
}
