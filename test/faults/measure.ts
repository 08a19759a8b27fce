import { sql } from 'kysely';
import type { Client } from '@temporalio/client';
import type { Db } from '../../src/db/database.js';
import { readOutboxId, workflowIdForBatch } from '../../src/relay/claim.js';
import { readModelNames } from '../../src/read-models/registry.js';
import { waitForCatchUp } from '../../src/read-models/verify/catch-up.js';
import { allFindings, verifyReadModels } from '../../src/read-models/verify/run.js';
import type { SearchClient } from '../../src/search/client.js';

/** One row of the fault table: what was committed, what each read model applied, and what went wrong. */
export interface ScenarioReport {
  scenario: string;
  seed: number;
  eventsCommitted: number;
  /** Events in each model's ledger that are also in the log. */
  applied: Record<string, number>;
  /** Events of the log some model never applied, summed over models. */
  lost: number;
  duplicateDeliveries: { activityRetries: number; batchRedispatches: number };
  /** Effects applied more than once: ledger rows beyond one per event and model, order-status rows off the log's version. */
  duplicateEffects: number;
  /** From the heal to every checkpoint at the head. */
  convergenceMs: number;
  findings: Array<{ model: string; problem: string; orderId?: string }>;
  details: Record<string, unknown>;
}

export interface MeasuredScenario {
  name: string;
  seed: number;
  db: Db;
  search: SearchClient;
  temporal: Client;
  taskQueue: string;
  env: NodeJS.ProcessEnv;
}

const CATCH_UP_TIMEOUT_MS = 120_000;
/** A batch recorded as dispatched this long after its workflow started was dispatched again (by a sweep). */
const REDISPATCH_GAP_MS = 1_000;

async function ledgerCounts(db: Db): Promise<Map<string, { rows: number; events: number }>> {
  const rows = await db.selectFrom('processed_projection_events')
    .innerJoin('outbox_events', 'outbox_events.event_id', 'processed_projection_events.event_id')
    .select((eb) => ['projection', eb.fn.countAll().as('rows'), eb.fn.count('processed_projection_events.event_id').distinct().as('events')])
    .groupBy('projection').execute();
  return new Map(rows.map((r) => [r.projection, { rows: Number(r.rows), events: Number(r.events) }]));
}

/** order_summary rows whose version is not the newest event of their order in the log. */
async function statusVersionsOffTheLog(db: Db): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n from order_summary s
    join (select aggregate_id, max(aggregate_version) as v from outbox_events group by aggregate_id) e on e.aggregate_id = s.order_id
    where s.source_version <> e.v`.execute(db);
  return rows[0]!.n;
}

/**
 * Deliveries beyond the first, read per batch from its workflow (describe and history are
 * consistent at once, unlike the visibility list): activity attempts after the first, and
 * batches recorded as dispatched well after their run started, i.e. dispatched again by a
 * sweep that found the first run.
 */
async function duplicateDeliveries(scenario: MeasuredScenario): Promise<ScenarioReport['duplicateDeliveries']> {
  const outboxId = await readOutboxId(scenario.db);
  const batches = await scenario.db.selectFrom('outbox_batches').select(['id', 'dispatched_at']).orderBy('id').execute();
  let activityRetries = 0;
  let batchRedispatches = 0;
  for (const batch of batches) {
    const handle = scenario.temporal.workflow.getHandle(workflowIdForBatch(outboxId, batch.id));
    const run = await handle.describe();
    if (batch.dispatched_at && batch.dispatched_at.getTime() - run.startTime.getTime() > REDISPATCH_GAP_MS) batchRedispatches += 1;
    const history = await handle.fetchHistory();
    activityRetries += (history.events ?? []).filter((event) => (event.activityTaskStartedEventAttributes?.attempt ?? 1) > 1).length;
  }
  return { activityRetries, batchRedispatches };
}

/**
 * After the heal: waits until every event is claimed and every checkpoint is at the head,
 * then runs the verifier and counts what was lost or applied twice.
 */
export async function measureScenario(scenario: MeasuredScenario, healedAt: number, details: Record<string, unknown>): Promise<ScenarioReport> {
  const names = readModelNames();
  await waitForCatchUp(scenario.db, names, CATCH_UP_TIMEOUT_MS);
  const convergenceMs = Date.now() - healedAt;
  const run = await verifyReadModels({ db: scenario.db, search: scenario.search, searchIndexPrefix: scenario.env.SEARCH_INDEX_PREFIX! });
  const ledger = await ledgerCounts(scenario.db);
  const applied = Object.fromEntries(names.map((name) => [name, ledger.get(name)?.events ?? 0]));
  const ledgerDuplicates = [...ledger.values()].reduce((sum, { rows, events }) => sum + rows - events, 0);
  return {
    scenario: scenario.name,
    seed: scenario.seed,
    eventsCommitted: run.events,
    applied,
    lost: names.reduce((sum, name) => sum + run.events - applied[name]!, 0),
    duplicateDeliveries: await duplicateDeliveries(scenario),
    duplicateEffects: ledgerDuplicates + (await statusVersionsOffTheLog(scenario.db)),
    convergenceMs,
    findings: allFindings(run).map(({ model, problem, orderId }) => ({ model, problem, ...(orderId ? { orderId } : {}) })),
    details,
  };
}
