import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The process's metrics, one registry per process: counters and histograms move where the work
 * happens (HTTP hook, relay, projection activities); gauges of the stores are read at scrape
 * time (see store-gauges.ts). Node's default process metrics keep their standard names, so
 * stock dashboards read them as they are.
 */
export const metricsRegistry = new Registry();
collectDefaultMetrics({ register: metricsRegistry });

const registers = [metricsRegistry];

export const httpRequestDuration = new Histogram({
  name: 'cqrs_orders_http_request_duration_seconds',
  help: 'HTTP request duration by method, route pattern and status class; POST and PUT rows are the command latency',
  labelNames: ['method', 'route', 'status_class'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers,
});

export const relayBatchEvents = new Histogram({
  name: 'cqrs_orders_relay_batch_events',
  help: 'Events per batch the relay claimed',
  buckets: [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000],
  registers,
});

export const relayWorkflowStarts = new Counter({
  name: 'cqrs_orders_relay_workflow_starts_total',
  help: 'Batch workflows started (a dispatch that finds its batch already running is not counted)',
  registers,
});

export const relayDispatchFailures = new Counter({
  name: 'cqrs_orders_relay_dispatch_failures_total',
  help: 'Batch dispatches that failed: identity_mismatch or refused (batch flagged), or error (retried later)',
  labelNames: ['reason'] as const,
  registers,
});

export const readModelEvents = new Counter({
  name: 'cqrs_orders_read_model_events_total',
  help: 'Events a read model was given, by outcome: applied, or skipped (replays, events it does not handle)',
  labelNames: ['read_model', 'outcome'] as const,
  registers,
});

export const readModelRetries = new Counter({
  name: 'cqrs_orders_read_model_retries_total',
  help: 'Projection activity attempts after the first',
  labelNames: ['read_model'] as const,
  registers,
});

export const readModelFailures = new Counter({
  name: 'cqrs_orders_read_model_failures_total',
  help: 'Projection activity attempts that threw',
  labelNames: ['read_model'] as const,
  registers,
});

export const readModelCommitToVisible = new Histogram({
  name: 'cqrs_orders_read_model_commit_to_visible_seconds',
  help: 'Time from an event being written to its read model having applied it, per event',
  labelNames: ['read_model'] as const,
  buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
  registers,
});

export const scrapeErrors = new Counter({
  name: 'cqrs_orders_metrics_scrape_errors_total',
  help: 'Scrape-time reads that failed (source: outbox or read_model); their gauges are left out of that scrape',
  labelNames: ['source'] as const,
  registers,
});
