import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

/** How far behind the write side a read model is. */
export interface Freshness {
  /** The highest log position below which every event has been applied. */
  position: number;
  /** Committed events (claimed, or eligible for the next claim) the model has not reached yet. */
  lagEvents: number;
  /** Age of the oldest committed event the model has not applied; 0 when caught up. */
  lagMs: number;
}

/**
 * Moves the read model's checkpoint to just before the first event, in claim (log) order,
 * that its ledger does not hold yet; `greatest()` keeps it from ever moving back.
 *
 * Called after each apply has committed. Whatever order batches finish in, the apply of the
 * last missing event commits before its own advance reads the ledger, and that read sees
 * every earlier commit too, so the checkpoint always catches up to the last contiguous event.
 */
export async function advanceCheckpoint(db: Kysely<Database>, readModel: string): Promise<void> {
  await db.insertInto('read_model_checkpoints').values({ read_model: readModel, position: 0 })
    .onConflict((oc) => oc.column('read_model').doNothing()).execute();
  await sql`
    update read_model_checkpoints c set updated_at = now(), position = greatest(c.position, coalesce(
      (select min(e.log_position) - 1 from outbox_events e
        where e.log_position > c.position
          and not exists (select 1 from processed_projection_events p where p.projection = c.read_model and p.event_id = e.event_id)),
      (select head from outbox_log)))
    where c.read_model = ${readModel}`.execute(db);
}

const eligible = sql<boolean>`tx_id < pg_snapshot_xmin(pg_current_snapshot())`;

/** The read model's checkpoint against the head of the log, in events and in time. */
export async function readModelFreshness(db: Kysely<Database>, readModel: string, now = new Date()): Promise<Freshness> {
  const { rows } = await sql<{ position: number; head: number; unclaimed: number; oldest: Date | null }>`
    with checkpoint as (
      select coalesce((select position from read_model_checkpoints where read_model = ${readModel}), 0) as position
    ), pending as (
      select occurred_at from outbox_events, checkpoint
        where log_position > checkpoint.position
          and not exists (select 1 from processed_projection_events p where p.projection = ${readModel} and p.event_id = outbox_events.event_id)
      union all
      select occurred_at from outbox_events where batch_id is null
    )
    select checkpoint.position,
      (select head from outbox_log) as head,
      (select count(*)::int from outbox_events where batch_id is null and ${eligible}) as unclaimed,
      (select min(occurred_at) from pending) as oldest
    from checkpoint`.execute(db);
  const row = rows[0]!;
  const position = Number(row.position);
  return {
    position,
    lagEvents: Number(row.head) + row.unclaimed - position,
    lagMs: row.oldest ? Math.max(0, now.getTime() - row.oldest.getTime()) : 0,
  };
}
