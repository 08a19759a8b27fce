import { ApplicationFailure } from '@temporalio/activity';
import { sql } from 'kysely';
import type { Db } from '../../db/database.js';
import { searchErrorType } from '../../search/unavailable.js';
import { classifyStoreError } from '../failures/classify.js';

/**
 * Counters of the projection activity, persisted on the model's checkpoint row so that every
 * process sees them. They describe the pipeline for an operator; correctness never depends on
 * them (the ledger and the checkpoint decide what is applied).
 */
async function bump(db: Db, readModel: string, set: { applied?: number; retries?: number; error?: string }): Promise<void> {
  const applied = set.applied ?? 0;
  const retries = set.retries ?? 0;
  const error = set.error ?? null;
  await sql`
    insert into read_model_checkpoints (read_model, position, applied_total, retries_total, last_error, last_error_at)
    values (${readModel}, 0, ${applied}, ${retries}, ${error}, case when ${error}::text is null then null else now() end)
    on conflict (read_model) do update set
      applied_total = read_model_checkpoints.applied_total + excluded.applied_total,
      retries_total = read_model_checkpoints.retries_total + excluded.retries_total,
      last_error = coalesce(excluded.last_error, read_model_checkpoints.last_error),
      last_error_at = coalesce(excluded.last_error_at, read_model_checkpoints.last_error_at)`.execute(db);
}

/** What went wrong, safe to store and show: failure types, SQLSTATEs, constraints, error types; never values. */
export function safeErrorReason(error: unknown): string {
  if (error instanceof ApplicationFailure) {
    const reason = (error.details?.[0] as { reason?: unknown } | undefined)?.reason;
    return typeof reason === 'string' ? `${error.type}: ${reason}` : String(error.type);
  }
  const search = searchErrorType(error);
  const { reason } = classifyStoreError(error);
  return search ? `${reason}: ${search}` : reason;
}

/** How many of these events the model's ledger holds. */
async function inLedger(db: Db, readModel: string, eventIds: readonly string[]): Promise<number> {
  if (eventIds.length === 0) return 0;
  const row = await db.selectFrom('processed_projection_events').select((eb) => eb.fn.countAll<number>().as('n'))
    .where('projection', '=', readModel).where('event_id', 'in', [...new Set(eventIds)]).executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Runs one attempt of a read model's projection activity and counts it: a retry when the
 * attempt is not the first, the events it newly applied (what its ledger gained, so a batch
 * delivered again counts nothing), or its error. Counting never changes the attempt's own
 * outcome: a failed count is dropped, the attempt's error is rethrown as is.
 */
export async function countedAttempt<T>(db: Db, readModel: string, eventIds: readonly string[], attempt: number, run: () => Promise<T>): Promise<T> {
  if (attempt > 1) await bump(db, readModel, { retries: 1 }).catch(() => undefined);
  const before = await inLedger(db, readModel, eventIds);
  const countApplied = async () => bump(db, readModel, { applied: (await inLedger(db, readModel, eventIds)) - before }).catch(() => undefined);
  try {
    const result = await run();
    await countApplied();
    return result;
  } catch (error) {
    // A refused event fails the attempt after every other event was applied: those count too.
    await countApplied();
    await bump(db, readModel, { error: safeErrorReason(error) }).catch(() => undefined);
    throw error;
  }
}
