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

async function checkpointOf(db: Kysely<Database>, readModel: string): Promise<number> {
  const row = await db.selectFrom('read_model_checkpoints').select('position').where('read_model', '=', readModel).executeTakeFirst();
  return row?.position ?? 0;
}

/**
 * Events past `from`, in log order, that the model's ledger lacks. `from` goes in as a value,
 * not a column reference, so PostgreSQL plans for the short range it is (index lookups in the
 * ledger) instead of hashing the model's whole ledger.
 */
function unapplied(readModel: string, from: number) {
  return sql`select e.log_position, e.occurred_at from outbox_log_events e
    where e.log_position > ${from}
      and not exists (select 1 from processed_projection_events p where p.projection = ${readModel} and p.event_id = e.event_id)`;
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
  const from = await checkpointOf(db, readModel);
  await sql`
    update read_model_checkpoints set updated_at = now(), position = greatest(position, coalesce(
      (select min(log_position) - 1 from (${unapplied(readModel, from)}) gap),
      (select head from outbox_log)))
    where read_model = ${readModel}`.execute(db);
}

const eligible = sql<boolean>`tx_id < pg_snapshot_xmin(pg_current_snapshot())`;

/** The read model's checkpoint against the head of the log, in events and in time. */
export async function readModelFreshness(db: Kysely<Database>, readModel: string, now = new Date()): Promise<Freshness> {
  const position = await checkpointOf(db, readModel);
  const { rows } = await sql<{ head: number; unclaimed: number; oldest: Date | null }>`
    select (select head from outbox_log) as head,
      (select count(*)::int from outbox_events where batch_id is null and ${eligible}) as unclaimed,
      (select min(occurred_at) from (
        select occurred_at from (${unapplied(readModel, position)}) claimed
        union all
        select occurred_at from outbox_events where batch_id is null) pending) as oldest`.execute(db);
  const row = rows[0]!;
  return {
    position,
    lagEvents: row.head + row.unclaimed - position,
    lagMs: row.oldest ? Math.max(0, now.getTime() - row.oldest.getTime()) : 0,
  };
}
