import { ms, ratio, summarize } from '../support/stats.js';
import { formatTable } from '../support/table.js';
import type { ApiSample } from './api-visibility.js';

export interface LatencyOutcome {
  api: ApiSample[];
  pgFloor: Array<number | null>;
  searchFloor: Array<number | null>;
}

function visible(values: Array<number | null>): number[] {
  return values.filter((v): v is number => v !== null);
}

function row(label: string, values: Array<number | null>): string[] {
  const s = summarize(visible(values));
  return [label, ms(s.p50), ms(s.p90), ms(s.max), ms(s.mean), `${s.count}/${values.length}`];
}

export function latencyTable(outcome: LatencyOutcome): string {
  const search = summarize(visible(outcome.api.map((s) => s.searchMs)));
  const floor = summarize(visible(outcome.searchFloor));
  const table = formatTable(
    ['after the 201 (or write ack) ...', 'median', 'p90', 'max', 'mean', 'seen'],
    [
      row('A  order_summary: GET /orders/{id} = 200', outcome.api.map((s) => s.summaryMs)),
      row('B  support search finds it', outcome.api.map((s) => s.searchMs)),
      row('   (server lag: projectedAt - lastEventAt)', outcome.api.map((s) => s.serverLagMs)),
      row('   (POST /orders round trip itself)', outcome.api.map((s) => s.commandMs)),
      row('a  floor: PostgreSQL commit -> other connection', outcome.pgFloor),
      row('b  floor: OpenSearch write -> term search', outcome.searchFloor),
      ['B / b  search vs. OpenSearch floor', ratio(search.p50, floor.p50), ratio(search.p90, floor.p90), ratio(search.max, floor.max), ratio(search.mean, floor.mean), ''],
    ],
  );
  return `${table}\nB - b (means): the pipeline adds ~${ms(search.mean - floor.mean, 0)} to OpenSearch's own refresh wait`;
}

/**
 * What the numbers mean. A refresh-bound wait is spread evenly over the 1 s refresh
 * interval: the standard error of its median is 1000 / (2 sqrt(n)) ms, of its mean 289 / sqrt(n).
 */
export function latencyExplanation(samples: number): string[] {
  const median = 1000 / (2 * Math.sqrt(samples));
  const mean = 289 / Math.sqrt(samples);
  return [
    'A: commit-to-visible for the relational read model: outbox NOTIFY -> relay claims a batch ->',
    '   Temporal workflow -> activity writes order_summary. Compare with a, what PostgreSQL alone',
    '   needs to show a committed row to another connection; a ratio A/a would only restate that',
    '   A is a pipeline of several round trips, so A is reported in absolute terms.',
    'B: the same for the search read model; it also waits for OpenSearch to refresh (refresh_interval 1s).',
    '   b is that refresh wait alone, measured on a scratch index with the same settings and mapping:',
    '   B/b near 1 means the pipeline adds little to what near-real-time search costs anyway.',
    `   With ${samples} samples of a wait spread over 0-1 s, a median moves by about +-${median.toFixed(0)} ms from run`,
    `   to run and a mean by about +-${mean.toFixed(0)} ms: read B/b with that in mind (BENCH_ORDERS raises n).`,
    '   B - b (means) estimates what the pipeline adds.',
    'Polls: GET /orders every ~5 ms, search every ~10 ms, so each number may be late by one poll.',
  ];
}
