import { createHash } from 'node:crypto';

/**
 * What a batch workflow's memo records about the batch it carries. After a point-in-time
 * restore of PostgreSQL, batch numbers repeat with other events; the identity tells a retried
 * dispatch of this batch from another batch that once had the same number.
 */
export interface BatchIdentity {
  batchId: number;
  eventCount: number;
  /** sha256 of the sorted event ids: order-free, and small whatever the batch size. */
  eventDigest: string;
}

export const BATCH_MEMO_KEY = 'outboxBatch';

/** Works on a claimed batch and on a batch workflow's input alike. */
export function batchIdentity(batch: { batchId: number; events: ReadonlyArray<{ eventId: string }> }): BatchIdentity {
  const ids = batch.events.map((e) => e.eventId).sort();
  const eventDigest = createHash('sha256').update(ids.join(',')).digest('hex');
  return { batchId: batch.batchId, eventCount: ids.length, eventDigest };
}

/** The identity a run's memo records, or undefined for a run started without one. */
export function identityInMemo(memo: Record<string, unknown> | undefined): Partial<BatchIdentity> | undefined {
  return memo?.[BATCH_MEMO_KEY] as Partial<BatchIdentity> | undefined;
}

export function sameIdentity(found: Partial<BatchIdentity> | undefined, expected: BatchIdentity): boolean {
  return found?.batchId === expected.batchId
    && found.eventCount === expected.eventCount
    && found.eventDigest === expected.eventDigest;
}

export class BatchIdentityMismatchError extends Error {
  constructor(readonly batch: { batchId: number; workflowId: string }, found: unknown) {
    super(`workflow ${batch.workflowId} carries another batch (${JSON.stringify(found ?? null)}), not batch ${batch.batchId}`);
    this.name = 'BatchIdentityMismatchError';
  }
}
