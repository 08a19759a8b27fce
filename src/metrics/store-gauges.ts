import { sql } from 'kysely';
import { Gauge, Registry } from 'prom-client';
import type { Db } from '../db/database.js';
import { readModelFreshness } from '../read-models/checkpoints.js';
import { scrapeErrors } from './registry.js';

interface OutboxBacklog {
  unclaimed: number;
  open: number;
  flagged: number;
}

/**
 * One statement for the whole backlog; each count reads only a partial index of open rows
 * (outbox_events_unclaimed_idx, outbox_batches_incomplete_idx, outbox_batches_flagged_idx),
 * so a scrape stays cheap however long the log grows.
 */
async function readOutboxBacklog(db: Db): Promise<OutboxBacklog> {
  const { rows } = await sql<OutboxBacklog>`
    select (select count(*)::int from outbox_events where batch_id is null) as unclaimed,
      (select count(*)::int from outbox_batches where completed_at is null and dispatch_error is null) as open,
      (select count(*)::int from outbox_batches where dispatch_error is not null) as flagged`.execute(db);
  return rows[0]!;
}

function gauge(registry: Registry, name: string, help: string, value: number): void {
  new Gauge({ name, help, registers: [registry] }).set(value);
}

async function addOutboxGauges(registry: Registry, db: Db): Promise<void> {
  const backlog = await readOutboxBacklog(db);
  gauge(registry, 'cqrs_orders_outbox_unclaimed_events', 'Committed outbox events no batch has claimed yet', backlog.unclaimed);
  gauge(registry, 'cqrs_orders_outbox_open_batches', 'Batches claimed whose workflow has not been seen to complete', backlog.open);
  gauge(registry, 'cqrs_orders_outbox_flagged_batches', 'Batches the relay will not dispatch until an operator clears outbox_batches.dispatch_error', backlog.flagged);
}

async function addLagGauges(registry: Registry, db: Db, readModels: readonly string[]): Promise<void> {
  const labelNames = ['read_model'] as const;
  const events = new Gauge({ name: 'cqrs_orders_read_model_lag_events', help: 'Committed events the read model has not reached', labelNames, registers: [registry] });
  const seconds = new Gauge({ name: 'cqrs_orders_read_model_lag_seconds', help: 'Age of the oldest committed event the read model has not applied; 0 when caught up', labelNames, registers: [registry] });
  await Promise.all(readModels.map(async (readModel) => {
    const freshness = await readModelFreshness(db, readModel).catch(() => null);
    if (!freshness) return void scrapeErrors.inc({ source: 'read_model' });
    events.set({ read_model: readModel }, freshness.lagEvents);
    seconds.set({ read_model: readModel }, freshness.lagMs / 1000);
  }));
}

/**
 * The backlog and lag gauges, read from PostgreSQL when Prometheus scrapes: a fresh registry
 * each time, so a read that fails leaves its gauges out of that scrape (rather than showing a
 * stale or zero value) and counts in `cqrs_orders_metrics_scrape_errors_total`; the rest is
 * still answered.
 */
export async function readStoreGauges(db: Db, readModels: readonly string[]): Promise<Registry> {
  const registry = new Registry();
  await Promise.all([
    addOutboxGauges(registry, db).catch(() => void scrapeErrors.inc({ source: 'outbox' })),
    addLagGauges(registry, db, readModels),
  ]);
  return registry;
}
