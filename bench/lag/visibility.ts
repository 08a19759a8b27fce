import pg from 'pg';
import type { ReadModel } from '../../src/read-models/read-model.js';
import type { CommandAnswer } from './load.js';

/** A time window of the run, in the shared clock (the bench, the API and PostgreSQL share one machine). */
export interface Window {
  from: Date;
  to: Date;
}

export interface ModelVisibility {
  model: string;
  store: ReadModel['store'];
  /** Events of the window the model handles, and of those the ones its ledger holds. */
  events: number;
  seen: number;
  /** occurred_at (stamped in the command's transaction, just before its commit) to the ledger row. */
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /**
   * The same lag measured from the command's answer arriving at the client instead: the commit
   * happened before it, so this is a lower bound where the occurred_at one is an upper bound.
   */
  answerP50Ms: number;
  answerP99Ms: number;
  /** Ledger rows written inside the window, per second: the events the model projected. */
  projectedPerSecond: number;
}

interface LagRow {
  events: number;
  seen: number;
  p50: number | null;
  p99: number | null;
  max: number | null;
}

/**
 * Lag per event from the model's own ledger: no polling of its API, so every event of the window
 * is measured, not a sample. `handles` null = all types. percentile_disc is the nearest rank.
 */
const LAG_SQL = `
  select count(*)::int as events, count(p.event_id)::int as seen,
    percentile_disc(0.5) within group (order by extract(epoch from p.processed_at - e.occurred_at) * 1000) as p50,
    percentile_disc(0.99) within group (order by extract(epoch from p.processed_at - e.occurred_at) * 1000) as p99,
    max(extract(epoch from p.processed_at - e.occurred_at) * 1000) as max
  from outbox_log_events e
  left join processed_projection_events p on p.projection = $1 and p.event_id = e.event_id
  where e.occurred_at >= $2 and e.occurred_at < $3 and ($4::text[] is null or e.event_type = any($4))`;

const ANSWER_SQL = `
  with answers as (select * from unnest($5::uuid[], $6::int[], $7::float8[]) as a(order_id, version, answered_ms))
  select percentile_disc(0.5) within group (order by extract(epoch from p.processed_at) * 1000 - a.answered_ms) as p50,
    percentile_disc(0.99) within group (order by extract(epoch from p.processed_at) * 1000 - a.answered_ms) as p99
  from outbox_log_events e
  join answers a on a.order_id = e.aggregate_id and a.version = e.aggregate_version
  join processed_projection_events p on p.projection = $1 and p.event_id = e.event_id
  where e.occurred_at >= $2 and e.occurred_at < $3 and ($4::text[] is null or e.event_type = any($4))`;

const RATE_SQL = `
  select count(*)::int as n from processed_projection_events
  where projection = $1 and processed_at >= $2 and processed_at < $3`;

function answerColumns(answers: readonly CommandAnswer[]): [string[], number[], number[]] {
  return [answers.map((a) => a.orderId), answers.map((a) => a.version), answers.map((a) => a.answeredAtMs)];
}

async function measureModel(client: pg.Client, model: ReadModel, window: Window, answers: readonly CommandAnswer[]): Promise<ModelVisibility> {
  const handles = model.handles === 'all' ? null : [...model.handles];
  const lag = (await client.query<LagRow>(LAG_SQL, [model.name, window.from, window.to, handles])).rows[0]!;
  const fromAnswer = (await client.query<LagRow>(ANSWER_SQL, [model.name, window.from, window.to, handles, ...answerColumns(answers)])).rows[0]!;
  const rate = (await client.query<{ n: number }>(RATE_SQL, [model.name, window.from, window.to])).rows[0]!;
  const seconds = (window.to.getTime() - window.from.getTime()) / 1_000;
  return {
    model: model.name, store: model.store, events: lag.events, seen: lag.seen,
    p50Ms: Number(lag.p50 ?? Number.NaN), p99Ms: Number(lag.p99 ?? Number.NaN), maxMs: Number(lag.max ?? Number.NaN),
    answerP50Ms: Number(fromAnswer.p50 ?? Number.NaN), answerP99Ms: Number(fromAnswer.p99 ?? Number.NaN),
    projectedPerSecond: rate.n / seconds,
  };
}

/** Commit-to-ledger lag and projected events/s of every registered model over the window. */
export async function measureVisibility(
  databaseUrl: string,
  models: readonly ReadModel[],
  window: Window,
  answers: readonly CommandAnswer[],
): Promise<ModelVisibility[]> {
  const client = new pg.Client({ connectionString: databaseUrl, application_name: 'bench-lag-visibility' });
  await client.connect();
  try {
    const result: ModelVisibility[] = [];
    for (const model of models) result.push(await measureModel(client, model, window, answers));
    return result;
  } finally {
    await client.end();
  }
}
