import { sql } from 'kysely';
import type pg from 'pg';
import type { Db } from '../../db/database.js';

/** The first key of every rebuild lock (two-key advisory locks), apart from the relay's. */
const LOCK_SPACE = 82_620_801;

/**
 * Runs one live apply of `readModel` under a shared advisory lock, so a rebuild's swap
 * (exclusive) never runs while a live batch is writing to the tables it replaces. The lock
 * is held by a connection of its own pool: waiting for one never starves the applies' pool.
 */
export async function withLiveApplyLock<T>(locks: pg.Pool | undefined, readModel: string, work: () => Promise<T>): Promise<T> {
  if (!locks) return work();
  const client = await locks.connect();
  let healthy = false;
  try {
    await client.query('select pg_advisory_lock_shared($1, hashtext($2))', [LOCK_SPACE, readModel]);
    try {
      return await work();
    } finally {
      await client.query('select pg_advisory_unlock_shared($1, hashtext($2))', [LOCK_SPACE, readModel]);
      healthy = true;
    }
  } finally {
    // A connection whose unlock did not run still holds the lock: closing it releases it.
    client.release(!healthy);
  }
}

/**
 * Runs `work` on one connection holding the exclusive rebuild lock of `readModel`: live
 * applies of that model wait (new ones queue behind it) until it returns. Other models go on.
 */
export async function withSwapLock<T>(db: Db, readModel: string, work: (conn: Db) => Promise<T>): Promise<T> {
  return db.connection().execute(async (conn) => {
    await sql`select pg_advisory_lock(${LOCK_SPACE}, hashtext(${readModel}))`.execute(conn);
    try {
      return await work(conn);
    } finally {
      await sql`select pg_advisory_unlock(${LOCK_SPACE}, hashtext(${readModel}))`.execute(conn);
    }
  });
}
