import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

/**
 * Outbox rows restored into another cluster keep the transaction ids of the cluster that
 * wrote them, which may lie ahead of this one's: such a row would never become eligible
 * (tx_id < snapshot xmin). Re-stamps unclaimed rows from the future with the current
 * transaction's id, which keeps their order among themselves (the claim then sorts by
 * position). Rows of transactions still running are invisible here and never touched.
 * Returns how many rows it re-stamped.
 */
export async function restampFutureTxIds(db: Kysely<Database>): Promise<number> {
  const result = await sql`
    update outbox_events set tx_id = pg_current_xact_id()
    where batch_id is null and tx_id > pg_current_xact_id()`.execute(db);
  return Number(result.numAffectedRows ?? 0n);
}
