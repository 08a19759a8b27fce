import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { refColumns, toRef, workflowIdForBatch, type ClaimedBatch } from './claim.js';

export interface UnfinishedBatch {
  id: number;
  dispatched: boolean;
}

/**
 * Batches older than `minAgeMs` (since claim, or since dispatch) whose workflow has not been
 * seen to finish: claimed by a relay that died before dispatching, or dispatched to a
 * Temporal that may have lost them. Flagged batches wait for an operator.
 */
export async function unfinishedBatches(db: Kysely<Database>, minAgeMs: number, limit: number): Promise<UnfinishedBatch[]> {
  const rows = await db
    .selectFrom('outbox_batches')
    .select(['id', 'dispatched_at'])
    .where('completed_at', 'is', null)
    .where('dispatch_error', 'is', null)
    .where(sql<boolean>`coalesce(dispatched_at, claimed_at) <= now() - make_interval(secs => ${minAgeMs / 1000})`)
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ id: r.id, dispatched: r.dispatched_at !== null }));
}

export async function loadBatch(db: Kysely<Database>, outboxId: string, batchId: number): Promise<ClaimedBatch> {
  const events = await db
    .selectFrom('outbox_events')
    .select(refColumns)
    .where('batch_id', '=', batchId)
    .orderBy('tx_id')
    .orderBy('position')
    .execute();
  return { batchId, workflowId: workflowIdForBatch(outboxId, batchId), events: events.map(toRef) };
}

export async function markCompleted(db: Kysely<Database>, batchId: number): Promise<void> {
  await db.updateTable('outbox_batches').set({ completed_at: new Date() })
    .where('id', '=', batchId).where('completed_at', 'is', null).execute();
}

/** Leaves the batch undispatched and out of the sweep, with the reason for an operator to read. */
export async function flagUndispatchable(db: Kysely<Database>, batchId: number, reason: string): Promise<void> {
  await db.updateTable('outbox_batches').set({ dispatch_error: reason }).where('id', '=', batchId).execute();
}
