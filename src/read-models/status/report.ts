import type { Db } from '../../db/database.js';
import { readModelFreshness } from '../checkpoints.js';
import { rebuildInProgress } from '../rebuild/start.js';
import type { ReadModel } from '../read-model.js';
import { readFailedBatches, type FailedBatch, type TemporalView } from './failed-batches.js';

/** Held orders listed per model; `count` is all of them. */
export const HELD_ORDERS_SHOWN = 20;

export interface HeldOrdersView {
  count: number;
  orders: Array<{ orderId: string; stoppedAtVersion: number; reason: string; since: string }>;
}

export interface ReadModelStatus {
  name: string;
  version: number;
  position: number;
  lagEvents: number;
  lagMs: number;
  applied: number;
  retries: number;
  heldOrders: HeldOrdersView;
  /** null when Temporal could not be asked. */
  failedBatches: Array<Omit<FailedBatch, 'runId' | 'closedAt'>> | null;
  lastError: { reason: string; at: string } | null;
  rebuild: RebuildStatus | null;
}

/** A rebuild of a read model in progress. */
export type RebuildStatus = Record<string, unknown>;

/** The rebuild in progress for this read model, from its workflow; null when none runs or Temporal is away. */
async function rebuildOf(db: Db, temporal: TemporalView | undefined, name: string): Promise<RebuildStatus | null> {
  if (!temporal) return null;
  return rebuildInProgress(temporal.client, db, name).catch(() => null);
}

async function countersOf(db: Db, name: string) {
  const row = await db.selectFrom('read_model_checkpoints').select(['applied_total', 'retries_total', 'last_error', 'last_error_at', 'rebuilt_at'])
    .where('read_model', '=', name).executeTakeFirst();
  return {
    counters: {
      applied: row?.applied_total ?? 0,
      retries: row?.retries_total ?? 0,
      lastError: row?.last_error ? { reason: row.last_error, at: (row.last_error_at ?? new Date(0)).toISOString() } : null,
    },
    rebuiltAt: row?.rebuilt_at ?? null,
  };
}

/**
 * The model's failed batches that still matter: one that failed before the model's last
 * rebuild swapped in is moot, since the rebuild replayed every event it held (a rebuild that
 * meets an event it cannot apply fails and swaps nothing). A reset of it would apply nothing.
 */
function stillFailed(batches: readonly FailedBatch[], rebuiltAt: Date | null): Array<Omit<FailedBatch, 'runId' | 'closedAt'>> {
  return batches
    .filter(({ closedAt }) => !rebuiltAt || !closedAt || closedAt > rebuiltAt)
    .map(({ workflowId, uiUrl }) => ({ workflowId, uiUrl }));
}

async function heldOrdersOf(db: Db, name: string): Promise<HeldOrdersView> {
  const [rows, total] = await Promise.all([
    db.selectFrom('read_model_holds').select(['order_id', 'version', 'reason', 'since'])
      .where('read_model', '=', name).orderBy('since').orderBy('order_id').limit(HELD_ORDERS_SHOWN).execute(),
    db.selectFrom('read_model_holds').select((eb) => eb.fn.countAll<number>().as('n')).where('read_model', '=', name).executeTakeFirstOrThrow(),
  ]);
  const orders = rows.map((r) => ({ orderId: r.order_id, stoppedAtVersion: r.version, reason: r.reason, since: r.since.toISOString() }));
  return { count: Number(total.n), orders };
}

async function statusOf(db: Db, model: ReadModel, now: Date, failed: Map<string, FailedBatch[]> | 'unreachable', temporal: TemporalView | undefined): Promise<ReadModelStatus> {
  const [freshness, { counters, rebuiltAt }, heldOrders, rebuild] = await Promise.all([
    readModelFreshness(db, model.name, now), countersOf(db, model.name), heldOrdersOf(db, model.name), rebuildOf(db, temporal, model.name),
  ]);
  const failedBatches = failed === 'unreachable' ? null : stillFailed(failed.get(model.name) ?? [], rebuiltAt);
  return { name: model.name, version: model.version, ...freshness, ...counters, heldOrders, failedBatches, rebuild };
}

/**
 * Every registered read model's state, from PostgreSQL and Temporal only: it answers while
 * a read model's own store (OpenSearch) is down, and without failed batches while Temporal is.
 */
export async function readModelsStatus(db: Db, models: readonly ReadModel[], temporal: TemporalView | undefined, now: Date) {
  const failed = await readFailedBatches(temporal);
  const readModels = await Promise.all(models.map((model) => statusOf(db, model, now, failed, temporal)));
  return { readModels, temporal: failed === 'unreachable' ? 'unreachable' as const : 'reachable' as const };
}
