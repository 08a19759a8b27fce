/**
 * `npm run bench:claim`: the relay's claim cost as the logged history grows. For each size
 * (`BENCH_CLAIM_SIZES`, default 10 thousand and 1 million logged events) it fills a scratch
 * database with claimed, completed events, adds fresh unclaimed ones and times `claimBatch`
 * (`BENCH_CLAIMS` claims of `BENCH_CLAIM_EVENTS` events): first with every event still in
 * `outbox_events`, then after the archive has moved the dispatched ones into `event_log`.
 * Ratios are against the smallest size with everything in `outbox_events`, in the same run.
 */
import { sql } from 'kysely';
import { performance } from 'node:perf_hooks';
import { createDb, createPool, type Db } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { archiveChunk } from '../src/outbox/archive.js';
import { waitFor } from '../src/stack/wait.js';
import { readModelNames } from '../src/read-models/registry.js';
import { claimBatch, readOutboxId } from '../src/relay/claim.js';
import { completeEverything, fillLoggedEvents, fillUnclaimedEvents } from './claim/fill.js';
import { claimReport, type ClaimRow } from './claim/report.js';
import { machineFacts } from './support/machine.js';
import { isMain, runMain } from './support/main.js';
import { writeResultJson } from './support/results.js';
import { checkpoint, createScratchDatabase, withServices } from './support/services.js';
import { summarize } from './support/stats.js';

const SIZES = (process.env.BENCH_CLAIM_SIZES ?? '10000,1000000').split(',').map(Number);
const CLAIMS = Number(process.env.BENCH_CLAIMS ?? 200);
const PER_CLAIM = Number(process.env.BENCH_CLAIM_EVENTS ?? 100);
const ARCHIVE_CHUNK = 10_000;

/**
 * Pages the claim's scan reads, from the plan of the same query claimBatch runs: unlike
 * milliseconds on a shared machine, this does not move with the load.
 */
async function claimScanBuffers(db: Db): Promise<number> {
  const { rows } = await sql<{ 'QUERY PLAN': Array<{ Plan: Record<string, number> }> }>`
    explain (analyze, buffers, format json)
    select position, event_id, aggregate_id, aggregate_version, event_type from outbox_events
    where batch_id is null and tx_id < pg_snapshot_xmin(pg_current_snapshot())
    order by tx_id, position limit ${PER_CLAIM}`.execute(db);
  const plan = rows[0]!['QUERY PLAN'][0]!.Plan;
  return (plan['Shared Hit Blocks'] ?? 0) + (plan['Shared Read Blocks'] ?? 0);
}

/** Rows stay ineligible while any older transaction runs anywhere on the shared server. */
async function allEligible(db: Db, count: number): Promise<void> {
  await waitFor(async () => {
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from outbox_events
      where batch_id is null and tx_id < pg_snapshot_xmin(pg_current_snapshot())`.execute(db);
    return rows[0]?.n === count || undefined;
  }, { timeoutMs: 600_000, intervalMs: 200, description: 'the fresh events eligible for a claim' });
}

async function timeClaims(db: Db, serverUrl: string): Promise<{ times: number[]; buffers: number }> {
  await fillUnclaimedEvents(db, CLAIMS * PER_CLAIM);
  await sql`vacuum analyze outbox_events`.execute(db);
  await checkpoint(serverUrl);
  await allEligible(db, CLAIMS * PER_CLAIM);
  const buffers = await claimScanBuffers(db);
  const outboxId = await readOutboxId(db);
  const times: number[] = [];
  for (let i = 0; i < CLAIMS; i++) {
    const began = performance.now();
    const batch = await claimBatch(db, outboxId, PER_CLAIM, PER_CLAIM);
    times.push(performance.now() - began);
    if (batch?.events.length !== PER_CLAIM) throw new Error(`claim ${i} took ${batch?.events.length ?? 0} events, expected ${PER_CLAIM}`);
  }
  return { times, buffers };
}

/** Moves everything the archive may move (all of it: the batches completed, the checkpoints at the head). */
async function archiveAll(db: Db): Promise<{ moved: number; seconds: number }> {
  await completeEverything(db, readModelNames());
  const began = performance.now();
  let moved = 0;
  for (;;) {
    const chunk = await archiveChunk(db, readModelNames(), ARCHIVE_CHUNK);
    moved += chunk.moved;
    if (chunk.moved === 0) break;
  }
  await sql`vacuum analyze outbox_events`.execute(db);
  return { moved, seconds: (performance.now() - began) / 1000 };
}

async function hotRows(db: Db): Promise<number> {
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from outbox_events`.execute(db);
  return rows[0]?.n ?? 0;
}

async function measureSize(serverUrl: string, size: number): Promise<ClaimRow[]> {
  const database = await createScratchDatabase(serverUrl);
  const db = createDb(createPool({ connectionString: database.url, maxConnections: 2, applicationName: 'bench-claim' }));
  try {
    await migrateToLatest(db);
    const filling = performance.now();
    await fillLoggedEvents(db, size, readModelNames());
    console.log(`filled ${size} logged events in ${((performance.now() - filling) / 1000).toFixed(1)} s`);
    const kept = await timeClaims(db, serverUrl);
    const keptRow: ClaimRow = { logged: size, layout: 'all in outbox_events', hotRows: await hotRows(db), ms: summarize(kept.times), scanBuffers: kept.buffers };
    const archive = await archiveAll(db);
    console.log(`archived ${archive.moved} events in ${archive.seconds.toFixed(1)} s`);
    const moved = await timeClaims(db, serverUrl);
    return [keptRow, { logged: size, layout: 'dispatched moved to event_log', hotRows: await hotRows(db), ms: summarize(moved.times), scanBuffers: moved.buffers, archive }];
  } finally {
    await db.destroy();
    await database.drop();
  }
}

export async function benchClaim(): Promise<void> {
  await withServices(async (stack) => {
    const facts = machineFacts();
    const rows: ClaimRow[] = [];
    for (const size of SIZES) rows.push(...(await measureSize(stack.databaseUrl, size)));
    console.log(claimReport(rows, facts, { claims: CLAIMS, perClaim: PER_CLAIM }));
    console.log(`written to ${await writeResultJson('claim', { facts, claims: CLAIMS, perClaim: PER_CLAIM, rows })}`);
  });
}

if (isMain(import.meta.url)) runMain(benchClaim);
