import { ms, ratio, summarize } from '../support/stats.js';
import { formatTable } from '../support/table.js';
import type { BulkBaseline } from './bulk-baseline.js';
import { EVENTS_PER_ORDER } from './holds.js';
import type { TrialResult } from './trial.js';

/** The app's search indices refresh every second: a document is searchable at most that long after its bulk. */
export const SEARCH_REFRESH_MS = 1_000;

const perSecond = (value: number) => (Number.isFinite(value) ? `${value.toFixed(1)}/s` : 'n/a');

/** One row per registered read model. */
export function visibilityTable(trial: TrialResult): string {
  const rows = trial.visibility.map((v) => [
    v.model, v.store, `${v.seen}/${v.events}`, ms(v.p50Ms), ms(v.p99Ms), ms(v.maxMs), ms(v.answerP50Ms), ms(v.answerP99Ms),
    v.store === 'opensearch' ? `<= ${ms(v.p99Ms + SEARCH_REFRESH_MS)}` : ms(v.p99Ms),
    perSecond(v.projectedPerSecond),
  ]);
  return formatTable(['read model', 'store', 'seen/events', 'p50', 'p99', 'max', 'p50 (answer)', 'p99 (answer)', 'p99 readable', 'projected'], rows);
}

/** The slowest model's backlog once a second, at most ~40 numbers (every n-th sample on long runs). */
function backlogTimeline(trial: TrialResult): string {
  const step = Math.max(1, Math.ceil(trial.samples.length / 40));
  const shown = trial.samples.filter((_, i) => i % step === 0).map((s) => s.backlog);
  return `backlog every ${step} s from the load's start: ${shown.join(' ')}`;
}

/** The sampled check of the search bound: from the 201 to a support search that finds the order. */
function searchSightingLine(trial: TrialResult): string[] {
  const sightings = trial.searchSightings;
  if (sightings.length === 0) return [];
  const seen = summarize(sightings.flatMap((s) => (s.visibleMs === null ? [] : [s.visibleMs])));
  const missed = sightings.length - seen.count;
  return [`support search over HTTP, every ${trial.plan.searchEvery}th order of the window (${sightings.length}), from its 201: p50 ${ms(seen.p50)}, p99 ${ms(seen.p99)}, max ${ms(seen.max)}${missed > 0 ? `; ${missed} not found within 30 s` : ''}`];
}

export function trialLines(trial: TrialResult): string[] {
  const { plan, load, flatness: f } = trial;
  const failures = Object.entries(load.failures).map(([k, n]) => `${k}: ${n}`).join(', ') || 'none';
  const commands = summarize(load.commandMs);
  return [
    ...searchSightingLine(trial),
    `rate ${plan.rate} orders/s (${plan.rate * EVENTS_PER_ORDER} events/s offered): ${load.started}/${load.scheduled} orders started, ${load.completed} completed; failures: ${failures}`,
    `committed in the window: ${perSecond(f.committedPerSecond)} events; command round trip p50 ${ms(commands.p50)}, p99 ${ms(commands.p99)}`,
    `backlog (slowest model, mean of ${f.edgeSeconds.toFixed(0)} s): ${f.atStart} at the window's start, ${f.atEnd} at its end; fitted slope ${perSecond(f.slopePerSecond)} = ${f.growth} over the window (allowed ${f.allowance}); drained ${trial.drainMs === null ? 'NOT within --drain' : `in ${ms(trial.drainMs, 0)}`}`,
    backlogTimeline(trial),
    trial.holds ? `=> holds at ${plan.rate} orders/s` : `=> does NOT hold at ${plan.rate} orders/s: ${trial.verdict.join('; ')}`,
  ];
}

export function bulkLines(trial: TrialResult, bulk: BulkBaseline | null): string[] {
  if (bulk === null) return ['raw _bulk baseline: skipped (no support-search model registered, or no events in the window)'];
  const projected = trial.visibility.find((v) => v.model === 'support-search')?.projectedPerSecond ?? Number.NaN;
  return [
    `raw _bulk baseline: the window's ${bulk.events} events as ${bulk.documents} documents in ${bulk.requests} requests (the relay's batches), ${bulk.concurrency} at a time: ${ms(bulk.elapsedMs, 0)}, ${perSecond(bulk.documentsPerSecond)} documents, ${perSecond(bulk.eventsPerSecond)} events`,
    `support-search projected / raw _bulk (events/s): ${ratio(projected, bulk.eventsPerSecond)} (the projection rate is capped by the offered load when the rate holds)`,
  ];
}

export const EXPLANATION = [
  'How to read it:',
  '- lag = ledger row time (processed_projection_events.processed_at) minus the event\'s commit, for every event of the steady',
  '  window the model handles. The commit time is bracketed: p50/p99 count from occurred_at, stamped when the API took the',
  '  command (before its transaction, pool and lock waits), an upper bound; "(answer)" counts from the command\'s answer',
  '  arriving at the client (after the commit), a lower bound. For a PostgreSQL model the ledger row shares the projection\'s',
  '  transaction (processed_at = that transaction\'s start: its commit may come a few ms later). For an OpenSearch model the',
  '  row is written after the _bulk succeeded; a search sees it after the next refresh, hence "p99 readable" adds the',
  `  refresh interval (${SEARCH_REFRESH_MS} ms) as the bound.`,
  '- projected = ledger rows per second written inside the window (every event a model is given, handled or not).',
  '- backlog = committed outbox events minus the slowest model\'s ledger rows, sampled every second. "Holds" = the API',
  '  committed >= 90% of the offered events/s, no order skipped, < 1% failed commands, and a least-squares line through the',
  '  window\'s samples rises by at most one second of load (batches drain the backlog in steps; single samples mislead).',
];

/** A trial as stored: the per-command arrays summarized, everything else as measured. */
export function trialForJson(trial: TrialResult) {
  const { commandMs, answers, ...load } = trial.load;
  return { ...trial, load: { ...load, commandMs: summarize(commandMs), answers: answers.length } };
}
