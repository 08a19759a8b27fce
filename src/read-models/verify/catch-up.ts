import { sql } from 'kysely';
import type { Db } from '../../db/database.js';
import { waitFor } from '../../stack/wait.js';

export interface CatchUpState {
  head: number;
  unclaimed: number;
  behind: string[];
}

/**
 * Where the pipeline stands: events committed but not claimed yet (eligible or not: a
 * verification must not start while one is still on its way), and which models' checkpoints
 * are below the head.
 */
export async function catchUpState(db: Db, readModels: readonly string[]): Promise<CatchUpState> {
  const { rows } = await sql<{ head: number; unclaimed: number }>`
    select (select head from outbox_log) as head,
      (select count(*)::int from outbox_events where batch_id is null) as unclaimed`.execute(db);
  const { head, unclaimed } = rows[0]!;
  const checkpoints = await db.selectFrom('read_model_checkpoints').select(['read_model', 'position']).execute();
  const position = new Map(checkpoints.map((c) => [c.read_model, c.position]));
  return { head, unclaimed, behind: readModels.filter((name) => (position.get(name) ?? 0) < head) };
}

/** Polls until every event is claimed and every named model's checkpoint is at the head. */
export async function waitForCatchUp(db: Db, readModels: readonly string[], timeoutMs: number): Promise<CatchUpState> {
  let last: CatchUpState | undefined;
  try {
    return await waitFor(async () => {
      last = await catchUpState(db, readModels);
      return last.unclaimed === 0 && last.behind.length === 0 ? last : undefined;
    }, { timeoutMs, intervalMs: 100, description: 'every read model to reach the head of the log' });
  } catch (error) {
    const where = last ? ` (head ${last.head}, unclaimed ${last.unclaimed}, behind: ${last.behind.join(', ') || 'none'})` : '';
    throw new Error(`${(error as Error).message}${where}`, { cause: error });
  }
}
