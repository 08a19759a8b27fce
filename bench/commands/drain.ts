import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import { supportSearchIndexNames } from '../../src/read-models/support-search/storage.js';
import type { Runtime } from '../../src/runtime.js';

export interface DrainResult {
  /** Orders committed by the whole API run (warm-up and window). */
  placed: number;
  /** Of those, already in order_summary / searchable the moment the load stopped. */
  summaryAtLoadEnd: number;
  searchAtLoadEnd: number;
  /** Time from the load stopping until every order was in the read model; null = deadline hit. */
  summaryDrainMs: number | null;
  searchDrainMs: number | null;
  deadlineMs: number;
  /** Outbox batches (one workflow each) the relay made over the whole run, and their mean size. */
  batches: number;
  eventsPerBatch: number;
}

const POLL_MS = 100;

async function counts(runtime: Runtime): Promise<{ placed: number; summary: number; search: number }> {
  const { rows } = await sql<{ placed: number; summary: number }>`
    select (select count(*) from orders) as placed, (select count(*) from order_summary) as summary`.execute(runtime.db);
  const row = rows[0]!;
  // _count sees refreshed segments only: the same visibility a support search has.
  const searched = await runtime.search.count({ index: supportSearchIndexNames(runtime.searchIndexPrefix).alias });
  return { placed: Number(row.placed), summary: Number(row.summary), search: Number(searched.body.count) };
}

/** How far the projections lagged behind the load, and how long they took to catch up. */
export async function measureDrain(runtime: Runtime, deadlineMs: number): Promise<DrainResult> {
  const began = performance.now();
  const first = await counts(runtime);
  const result: DrainResult = {
    placed: first.placed, summaryAtLoadEnd: first.summary, searchAtLoadEnd: first.search,
    summaryDrainMs: null, searchDrainMs: null, deadlineMs, batches: 0, eventsPerBatch: 0,
  };
  for (let now = began; now - began <= deadlineMs; now = performance.now()) {
    const current = now === began ? first : await counts(runtime);
    const elapsed = performance.now() - began;
    if (result.summaryDrainMs === null && current.summary >= result.placed) result.summaryDrainMs = elapsed;
    if (result.searchDrainMs === null && current.search >= result.placed) result.searchDrainMs = elapsed;
    if (result.summaryDrainMs !== null && result.searchDrainMs !== null) break;
    await sleep(POLL_MS);
  }
  return { ...result, ...(await batchStats(runtime)) };
}

async function batchStats(runtime: Runtime): Promise<{ batches: number; eventsPerBatch: number }> {
  const { rows } = await sql<{ batches: number; events: number }>`
    select count(*) as batches, coalesce(sum(event_count), 0) as events from outbox_batches`.execute(runtime.db);
  const { batches, events } = rows[0]!;
  return { batches: Number(batches), eventsPerBatch: Number(events) / Math.max(1, Number(batches)) };
}
