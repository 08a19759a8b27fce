import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

/** Log positions per `event_log` partition: a partition a few hundred MB at typical event sizes. */
export const EVENT_LOG_PARTITION_SPAN = 1_000_000;

/** Any stable number: it keeps two movers (two workers running the schedule) apart. */
const ARCHIVE_LOCK_KEY = 0x0a2c_41e0;

const columns = sql.raw('position, event_id, tx_id, aggregate_type, aggregate_id, aggregate_version, event_type, payload, occurred_at, batch_id, log_position');

/**
 * The highest log position that may leave the outbox: every one of `readModels` has applied
 * everything up to it. A read model without a checkpoint yet holds everything back.
 */
export async function archivableBound(db: Kysely<Database>, readModels: readonly string[]): Promise<number> {
  if (readModels.length === 0) return 0;
  const { rows } = await sql<{ bound: number }>`
    select coalesce(min(coalesce(c.position, 0)), 0)::bigint as bound
    from unnest(${sql.val([...readModels])}::text[]) as m(name)
    left join read_model_checkpoints c on c.read_model = m.name`.execute(db);
  return Number(rows[0]?.bound ?? 0);
}

export function partitionName(index: number): string {
  return `event_log_p${String(index).padStart(6, '0')}`;
}

/** Creates the partitions for log positions `from`..`to`, and the one after, where missing. */
export async function ensurePartitions(db: Kysely<Database>, from: number, to: number): Promise<void> {
  const first = Math.floor(Math.max(from, 0) / EVENT_LOG_PARTITION_SPAN);
  const last = Math.floor(Math.max(to, 0) / EVENT_LOG_PARTITION_SPAN) + 1;
  for (let index = first; index <= last; index++) {
    const lower = index * EVENT_LOG_PARTITION_SPAN;
    await sql`create table if not exists ${sql.id(partitionName(index))} partition of event_log
      for values from (${sql.lit(lower)}) to (${sql.lit(lower + EVENT_LOG_PARTITION_SPAN)})`.execute(db);
  }
}

/** The lowest and highest log position of the next chunk that may move, or null when none may. */
async function nextChunkRange(db: Kysely<Database>, bound: number, chunkSize: number) {
  const { rows } = await sql<{ low: number | null; high: number | null }>`
    select min(log_position)::bigint as low, max(log_position)::bigint as high from (${movable(bound, chunkSize)}) chunk`.execute(db);
  const row = rows[0];
  return row?.low == null || row.high == null ? null : { low: Number(row.low), high: Number(row.high) };
}

/** Claimed rows at or below `bound` whose batch's workflow completed, oldest first. */
function movable(bound: number, chunkSize: number) {
  return sql`select e.position, e.log_position from outbox_events e
    join outbox_batches b on b.id = e.batch_id
    where e.log_position <= ${bound} and b.completed_at is not null
    order by e.log_position limit ${chunkSize}`;
}

export interface ArchiveChunkResult {
  moved: number;
  /** The log position rows may move up to (every read model's checkpoint). */
  bound: number;
}

/**
 * Moves up to `chunkSize` rows from `outbox_events` into `event_log`: one statement, so a
 * reader of `outbox_log_events` sees every row exactly once, before or after the move. Only
 * rows whose batch completed and that every read model has passed may move; the relay's
 * claim only ever touches unclaimed rows, so it never waits for this.
 */
export async function archiveChunk(db: Kysely<Database>, readModels: readonly string[], chunkSize: number): Promise<ArchiveChunkResult> {
  const bound = await archivableBound(db, readModels);
  const range = await nextChunkRange(db, bound, chunkSize);
  if (!range) return { moved: 0, bound };
  await ensurePartitions(db, range.low, range.high);
  const moved = await db.transaction().execute(async (trx) => {
    const { rows } = await sql<{ locked: boolean }>`select pg_try_advisory_xact_lock(${ARCHIVE_LOCK_KEY}) as locked`.execute(trx);
    if (!rows[0]?.locked) return 0;
    const result = await sql`
      with chunk as (${movable(bound, chunkSize)}),
      moved as (delete from outbox_events e using chunk where e.position = chunk.position returning e.*)
      insert into event_log (${columns}) select ${columns} from moved`.execute(trx);
    return Number(result.numAffectedRows ?? 0n);
  });
  return { moved, bound };
}
