import { createHash } from 'node:crypto';
import type { ClaimedBatch } from './claim.js';

/**
 * What a batch workflow's memo records about the batch it carries. After a point-in-time
 * restore of PostgreSQL, batch numbers repeat with other events; the memo tells a retried
 * dispatch of this batch from another batch that once had the same number.
 */
export interface BatchIdentity {
  batchId: number;
  eventCount: number;
  /** sha256 of the sorted event ids: order-free, and small whatever the batch size. */
  eventDigest: string;
}

export const BATCH_MEMO_KEY = 'outboxBatch';

export function batchIdentity(batch: ClaimedBatch): BatchIdentity {
  const ids = batch.events.map((e) => e.eventId).sort();
  const eventDigest = createHash('sha256').update(ids.join(',')).digest('hex');
  return { batchId: batch.batchId, eventCount: ids.length, eventDigest };
}

export class BatchIdentityMismatchError extends Error {
  constructor(readonly batch: ClaimedBatch, found: unknown) {
    super(`workflow ${batch.workflowId} carries another batch (${JSON.stringify(found ?? null)}), not batch ${batch.batchId}`);
    this.name = 'BatchIdentityMismatchError';
  }
}

/** Throws unless `memo` (a run's memo) names exactly this batch's events. */
export function assertRunCarriesBatch(batch: ClaimedBatch, memo: Record<string, unknown> | undefined): void {
  const expected = batchIdentity(batch);
  const found = memo?.[BATCH_MEMO_KEY] as Partial<BatchIdentity> | undefined;
  const same = found?.batchId === expected.batchId
    && found.eventCount === expected.eventCount
    && found.eventDigest === expected.eventDigest;
  if (!same) throw new BatchIdentityMismatchError(batch, found);
}
