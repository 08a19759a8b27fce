import { sql, type Transaction } from 'kysely';
import type { Database } from '../db/schema.js';

/**
 * Numbers just-claimed events densely, in the order given (the claim order), continuing from
 * the log's head. Must run inside the claim's transaction: the claim lock makes the head
 * advance one batch at a time, so log positions have no gaps and never repeat.
 */
export async function assignLogPositions(trx: Transaction<Database>, positions: readonly number[]): Promise<void> {
  if (positions.length === 0) return;
  await sql`
    with head as (
      update outbox_log set head = head + ${positions.length} returning head - ${positions.length} as base
    ), claimed as (
      select p.position, p.n from unnest(${sql.val([...positions])}::bigint[]) with ordinality as p(position, n)
    )
    update outbox_events e set log_position = head.base + claimed.n
    from head, claimed where e.position = claimed.position`.execute(trx);
}
