import { formatCpu, interference, type CpuUsage } from '../support/cpu.js';
import { ms, ratio, summarize } from '../support/stats.js';
import { formatTable } from '../support/table.js';
import type { DrainResult } from './drain.js';
import { failureText, throughput, type LoadResult } from './load-result.js';

export interface CommandsOutcome {
  api: LoadResult;
  pgbench: LoadResult;
  apiCpu: CpuUsage;
  /** Share of the API process's main-thread time spent running (1 = saturated). */
  apiEventLoopBusy: number;
  pgbenchCpu: CpuUsage;
  drain: DrainResult;
  apiSizes: string;
  pgbenchSizes: string;
}

function row(result: LoadResult): string[] {
  const s = summarize(result.latenciesMs);
  return [result.label, throughput(result).toFixed(0), ms(s.p50), ms(s.p99), ms(s.mean), String(result.succeeded), failureText(result)];
}

export function commandsTable(outcome: CommandsOutcome): string {
  const { api, pgbench } = outcome;
  const a = summarize(api.latenciesMs);
  const p = summarize(pgbench.latenciesMs);
  return formatTable(
    ['', 'orders/s', 'p50', 'p99', 'mean', 'succeeded', 'not succeeded'],
    [
      row(api),
      row(pgbench),
      ['API / pgbench', ratio(throughput(api), throughput(pgbench)), ratio(a.p50, p.p50), ratio(a.p99, p.p99), ratio(a.mean, p.mean), '', ''],
    ],
  );
}

function seconds(value: number | null, deadlineMs: number): string {
  return value === null ? `not within the ${deadlineMs / 1000} s deadline` : `${(value / 1000).toFixed(1)} s`;
}

export function commandsDetails(outcome: CommandsOutcome): string[] {
  const { drain } = outcome;
  const share = (n: number) => `${n}/${drain.placed} (${((100 * n) / Math.max(1, drain.placed)).toFixed(0)}%)`;
  return [
    `CPU, API run (warm-up included; API process = HTTP + relay + projection worker): ${formatCpu(outcome.apiCpu)}; API event loop ${(outcome.apiEventLoopBusy * 100).toFixed(0)}% busy`,
    `CPU, pgbench run (warm-up included): ${formatCpu(outcome.pgbenchCpu)}`,
    `stored by the API run: ${outcome.apiSizes}`,
    `stored by pgbench:     ${outcome.pgbenchSizes}`,
    `projection while loaded: when the load stopped, order_summary held ${share(drain.summaryAtLoadEnd)} of all placed orders (warm-up included), the search index ${share(drain.searchAtLoadEnd)}`,
    `backlog drain after the load stopped: order_summary ${seconds(drain.summaryDrainMs, drain.deadlineMs)}, search index ${seconds(drain.searchDrainMs, drain.deadlineMs)}`,
    `relay: ${drain.batches} batch workflows, ${drain.eventsPerBatch.toFixed(1)} events per batch on average`,
    ...outcome.pgbench.notes,
    ...interference(outcome.pgbenchCpu, 'pgbench run'),
    ...interference(outcome.apiCpu, 'API run'),
  ];
}
