import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { EventRef } from '../outbox/envelope.js';
import { assignLogPositions } from '../outbox/log-position.js';

export interface ClaimedBatch {
  batchId: number;
  workflowId: string;
  events: EventRef[];
}

/** Any stable number works: it only keeps two relays from claiming at the same moment. */
export const CLAIM_LOCK_KEY = 0x0cb0_5e1a;

/**
 * The workflow id is a pure function of the batch, so re-dispatching a batch can never run it
 * twice; the outbox's own id keeps two databases' batch numbers apart in one namespace.
 */
export function workflowIdForBatch(outboxId: string, batchId: number): string {
  return `outbox-${outboxId}-batch-${batchId}`;
}

export async function readOutboxId(db: Kysely<Database>): Promise<string> {
  const row = await db.selectFrom('outbox_instance').select('instance_id').executeTakeFirstOrThrow();
  return row.instance_id;
}

export const refColumns = ['position', 'event_id', 'aggregate_id', 'aggregate_version', 'event_type'] as const;

export function toRef(row: { position: number; event_id: string; aggregate_id: string; aggregate_version: number; event_type: string }): EventRef {
  return {
    position: row.position,
    eventId: row.event_id,
    aggregateId: row.aggregate_id,
    aggregateVersion: row.aggregate_version,
    type: row.event_type,
  };
}

const eligible = sql<boolean>`tx_id < pg_snapshot_xmin(pg_current_snapshot())`;

/**
 * One cheap round trip that tells whether a claim would find anything. Under many concurrent
 * writers a running transaction often holds every new row back, and a full claim transaction
 * (four round trips) would come back empty.
 */
export async function hasClaimableEvents(db: Kysely<Database>): Promise<boolean> {
  const { rows } = await sql<{ found: boolean }>`
    select exists (select 1 from outbox_events where batch_id is null and ${eligible}) as found`.execute(db);
  return rows[0]?.found === true;
}

/**
 * Claims up to `limit` unclaimed events into a new batch, in commit-safe order.
 *
 * Only rows written by transactions older than every transaction still running
 * (tx_id < snapshot xmin) are eligible: no row that sorts before them can appear later,
 * even when transactions commit out of sequence order. The batch also stops before the first
 * event of a `maxOrders + 1`th order, so its order ids fit one search attribute value; the
 * cut keeps the claim order, so what is left is simply the start of the next batch. Returns
 * null when another relay holds the claim lock or nothing is eligible.
 */
export async function claimBatch(db: Kysely<Database>, outboxId: string, limit: number, maxOrders = limit): Promise<ClaimedBatch | null> {
  return db.transaction().execute(async (trx) => {
    const { rows } = await sql<{ locked: boolean }>`select pg_try_advisory_xact_lock(${CLAIM_LOCK_KEY}) as locked`.execute(trx);
    if (!rows[0]?.locked) return null;

    const eligibleEvents = await trx
      .selectFrom('outbox_events')
      .select(refColumns)
      .where('batch_id', 'is', null)
      .where(eligible)
      .orderBy('tx_id')
      .orderBy('position')
      .limit(limit)
      .execute();
    const events = withinOrderLimit(eligibleEvents, maxOrders);
    if (events.length === 0) return null;

    const positions = events.map((e) => e.position);
    const batch = await trx
      .insertInto('outbox_batches')
      .values({ event_count: events.length, first_position: positions[0]!, last_position: positions.at(-1)! })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx.updateTable('outbox_events').set({ batch_id: batch.id }).where('position', 'in', positions).execute();
    await assignLogPositions(trx, positions);
    return { batchId: batch.id, workflowId: workflowIdForBatch(outboxId, batch.id), events: events.map(toRef) };
  });
}

/** The longest prefix of `events` that touches at most `maxOrders` distinct orders. */
export function withinOrderLimit<T extends { aggregate_id: string }>(events: T[], maxOrders: number): T[] {
  const orders = new Set<string>();
  for (const [i, event] of events.entries()) {
    orders.add(event.aggregate_id);
    if (orders.size > maxOrders) return events.slice(0, i);
  }
  return events;
}

export async function markDispatched(db: Kysely<Database>, batchId: number): Promise<void> {
  await db.updateTable('outbox_batches').set({ dispatched_at: new Date() }).where('id', '=', batchId).execute();
}
