import { sql } from 'kysely';
import type { Db } from '../../src/db/database.js';

/**
 * How many other sessions of this database wait for a lock right now. Tests hold a row lock
 * from their own connection and poll this to know that a request has reached it.
 */
export async function sessionsWaitingForLocks(db: Db): Promise<number> {
  const { rows } = await sql<{ waiting: number }>`
    select count(*)::int as waiting from pg_stat_activity
    where datname = current_database() and wait_event_type = 'Lock' and pid <> pg_backend_pid()`.execute(db);
  return rows[0]!.waiting;
}

/** Deadlocks PostgreSQL has detected in this database so far. */
export async function deadlocksDetected(db: Db): Promise<number> {
  const { rows } = await sql<{ deadlocks: number }>`
    select deadlocks::int from pg_stat_database where datname = current_database()`.execute(db);
  return rows[0]!.deadlocks;
}
