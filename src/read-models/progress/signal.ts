import { sql } from 'kysely';
import type { Db } from '../../db/database.js';

/** The PostgreSQL NOTIFY channel on which read models announce that they moved forward. */
export const PROGRESS_CHANNEL = 'read_model_progress';

/**
 * NOTIFY payloads must stay under 8000 bytes; an order id takes about 40 of them in the JSON.
 * Past this many ids a notice names only the model, which every waiter on it takes as
 * "anything may have changed".
 */
export const MAX_IDS_PER_NOTICE = 150;

/** What one notice says: a model applied events of these orders, or (no ids) of any order. */
export interface ProgressNotice {
  readModel: string;
  orderIds?: readonly string[];
}

export function encodeNotice(readModel: string, orderIds: Iterable<string>): string {
  const ids = [...new Set(orderIds)];
  return JSON.stringify(ids.length > MAX_IDS_PER_NOTICE ? { m: readModel } : { m: readModel, o: ids });
}

/** Undefined for a payload this code did not write (another version, a manual NOTIFY). */
export function decodeNotice(payload: string | undefined): ProgressNotice | undefined {
  try {
    const parsed = JSON.parse(payload ?? '') as { m?: unknown; o?: unknown };
    if (typeof parsed.m !== 'string') return undefined;
    const ids = Array.isArray(parsed.o) ? parsed.o.filter((id): id is string => typeof id === 'string') : undefined;
    return ids ? { readModel: parsed.m, orderIds: ids } : { readModel: parsed.m };
  } catch {
    return undefined;
  }
}

/**
 * Tells readers waiting for a version (`minVersion`) that the model's rows of these orders
 * may have changed. Sent after the apply committed, so a woken reader sees the change.
 */
export async function notifyProgress(db: Db, readModel: string, orderIds: Iterable<string>): Promise<void> {
  await sql`select pg_notify(${PROGRESS_CHANNEL}, ${encodeNotice(readModel, orderIds)})`.execute(db);
}
