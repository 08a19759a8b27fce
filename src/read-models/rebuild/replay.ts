import { sql } from 'kysely';
import { createDb, createPool, type Db } from '../../db/database.js';
import { storedEventColumns, toStoredEvent } from '../../outbox/load.js';
import { advanceCheckpoint } from '../checkpoints.js';
import { applyWithHolds, type Rejection } from '../failures/apply-with-holds.js';
import type { ReadModel, ReadModelDeps } from '../read-model.js';
import { shadowSchema } from './shadow.js';

export interface ReplayChunk {
  /** The log position replayed up to; the next chunk starts after it. */
  next: number;
  /** Events replayed in this chunk. */
  applied: number;
  /** The head of the log when the chunk was read. */
  head: number;
}

/** The model's dependencies with a database whose unqualified names land in its shadow schema (and, for OpenSearch, its rebuild index). */
export function openShadowDeps(databaseUrl: string, deps: ReadModelDeps, model: ReadModel): ReadModelDeps & { db: Db } {
  const pool = createPool({ connectionString: databaseUrl, maxConnections: 2, applicationName: 'cqrs-orders-rebuild', searchPath: [shadowSchema(model), 'public'] });
  const shadow = { ...deps, db: createDb(pool) };
  // An OpenSearch model's writes go to its rebuild index; its ledger goes to the shadow schema.
  return model.searchRebuild ? { ...model.searchRebuild.shadowDeps(shadow), db: shadow.db } : shadow;
}

/** Claimed events after `from`, up to the head, in log order. */
async function claimedEventsAfter(db: Db, from: number, limit: number) {
  const head = (await sql<{ head: number }>`select head from outbox_log`.execute(db)).rows[0]?.head ?? 0;
  const rows = await db.selectFrom('outbox_log_events').select([...storedEventColumns, 'log_position'])
    .where('log_position', '>', from).where('log_position', '<=', head)
    .orderBy('log_position').limit(limit).execute();
  return { head, rows };
}

export class ReplayRefusedError extends Error {
  constructor(readonly rejected: Rejection[]) {
    super(`${rejected.length} event(s) refused during the replay, first ${rejected[0]?.event.eventId}`);
    this.name = 'ReplayRefusedError';
  }
}

/**
 * Applies the next `limit` claimed events to the shadow with the model's own apply (and its
 * ledger, so a retried chunk lands once), then moves the shadow's checkpoint.
 */
export async function replayChunk(db: Db, shadow: ReadModelDeps, model: ReadModel, from: number, limit: number): Promise<ReplayChunk> {
  const { head, rows } = await claimedEventsAfter(db, from, limit);
  if (rows.length === 0) return { next: from, applied: 0, head };
  const outcome = await applyWithHolds(shadow, model, rows.map(toStoredEvent));
  await advanceCheckpoint(shadow.db, model.name);
  if (outcome.rejected.length > 0) throw new ReplayRefusedError(outcome.rejected);
  return { next: rows.at(-1)!.log_position!, applied: rows.length, head };
}

/** Replays chunk after chunk until the head read by the last chunk is reached. */
export async function replayToHead(db: Db, shadow: ReadModelDeps, model: ReadModel, from: number, limit: number): Promise<ReplayChunk> {
  let position = from;
  let applied = 0;
  for (;;) {
    const chunk = await replayChunk(db, shadow, model, position, limit);
    position = chunk.next;
    applied += chunk.applied;
    if (chunk.applied === 0 || position >= chunk.head) return { next: position, applied, head: chunk.head };
  }
}
