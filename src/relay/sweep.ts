import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Db } from '../db/database.js';
import { BatchIdentityMismatchError } from './batch-identity.js';
import { loadBatch, markCompleted, unfinishedBatches } from './batches.js';
import type { ClaimedBatch } from './claim.js';
import { assertRunCarriesBatch } from './dispatch.js';

export interface SweepContext {
  db: Db;
  temporal: Client;
  outboxId: string;
  log: (line: string, fields?: Record<string, unknown>) => void;
  /** Dispatches as the relay does: a slot, the start, the outcome. */
  dispatch(batch: ClaimedBatch): Promise<void>;
  /** Leaves a batch whose workflow id another batch's run holds to an operator, loudly. */
  flag(error: BatchIdentityMismatchError): Promise<void>;
}

/** Batches looked at per sweep; the rest wait for the next one. */
const SWEEP_LIMIT = 100;

/**
 * Takes over batches nobody is moving: claimed but never dispatched (their relay died in
 * between, in this process or another), or dispatched but never seen to finish. Those are
 * dispatched again when Temporal does not know their workflow (a dev server that lost its
 * state), and recorded as finished when it closed while nobody waited for it.
 */
export async function sweepBatches(context: SweepContext, minAgeMs: number): Promise<void> {
  for (const unfinished of await unfinishedBatches(context.db, minAgeMs, SWEEP_LIMIT)) {
    const batch = await loadBatch(context.db, context.outboxId, unfinished.id);
    if (unfinished.dispatched) await checkDispatched(context, batch);
    else await context.dispatch(batch);
  }
}

async function checkDispatched(context: SweepContext, batch: ClaimedBatch): Promise<void> {
  const fields = { batchId: batch.batchId, workflowId: batch.workflowId };
  const handle = context.temporal.workflow.getHandle(batch.workflowId);
  let run;
  try {
    run = await handle.describe();
  } catch (error) {
    if (!(error instanceof WorkflowNotFoundError)) throw error;
    context.log('batch workflow unknown to Temporal; dispatching it again', fields);
    return context.dispatch(batch);
  }
  try {
    await assertRunCarriesBatch(handle, batch, run);
  } catch (error) {
    if (error instanceof BatchIdentityMismatchError) return context.flag(error);
    throw error;
  }
  if (run.status.name === 'RUNNING') return;
  if (run.status.name !== 'COMPLETED') context.log('batch workflow closed without completing', { ...fields, status: run.status.name });
  await markCompleted(context.db, batch.batchId);
}
