/**
 * `npm run bench:latency`: commit-to-visible latency of the two read models on an idle
 * system (the relay's one-event-batch path), against PostgreSQL's and OpenSearch's floors.
 */
import os from 'node:os';
import type { RunningStack } from '../src/stack/index.js';
import { sampleApi, type ApiSample } from './latency/api-visibility.js';
import { PgFloor } from './latency/pg-floor.js';
import { randomGap } from './latency/poll.js';
import { latencyExplanation, latencyTable } from './latency/report.js';
import { SearchFloor } from './latency/search-floor.js';
import { startBenchRuntime, type BenchRuntime } from './support/bench-runtime.js';
import { formatCpu, interference, startCpuWindow } from './support/cpu.js';
import { keepAliveAgent } from './support/http.js';
import { machineFacts } from './support/machine.js';
import { isMain, runMain } from './support/main.js';
import { benchSkus, createProducts } from './support/products.js';
import { randomName, withServices } from './support/services.js';
import { latencyBenchSettings, type LatencyBenchSettings } from './support/settings.js';

/**
 * The search index refreshes every second. Each round starts right after a refresh made the
 * last order visible, so a fixed 100-200 ms gap would put every write at the same point of
 * the refresh cycle (we saw the floor stuck at ~320 +- 30 ms). A gap spread over one more
 * refresh interval samples the whole cycle, as real, unsynchronised writes do.
 */
const REFRESH_INTERVAL_MS = 1_000;

function printMethod(settings: LatencyBenchSettings, bench: BenchRuntime): void {
  const { relay } = bench.config;
  console.log(`
== bench:latency: commit-to-visible on an idle system ==
method: ${settings.orders} rounds, one at a time. Each round: an idle gap of ${settings.minGapMs}-${settings.maxGapMs + REFRESH_INTERVAL_MS} ms (uniform; the
  extra second spreads writes over the search refresh cycle), one PostgreSQL floor sample, then one
  order placed and both read models watched until it appears; an OpenSearch floor sample starts
  the moment the 201 arrives (same instant, same load). Deadline per observation ${settings.deadlineMs / 1000} s (= not seen).
  relay: max batch ${relay.maxBatchSize}, max in flight ${relay.maxInFlight}, fallback poll ${relay.pollIntervalMs} ms`);
  for (const fact of machineFacts()) console.log(`machine: ${fact}`);
}

/** A sample started by someone else's callback; a failure surfaces at result(), never unhandled. */
function startedLater<T>(sample: () => Promise<T>): { start: () => void; result: () => Promise<T | null> } {
  let running: Promise<T> | undefined;
  return {
    start: () => {
      running = sample();
      running.catch(() => undefined);
    },
    result: () => running ?? Promise.resolve(null),
  };
}

async function rounds(bench: BenchRuntime, stack: RunningStack, settings: LatencyBenchSettings) {
  const agent = keepAliveAgent(8);
  const skus = benchSkus(4);
  await createProducts(bench.url, agent, bench.tokens.operator, skus);
  const pgFloor = await PgFloor.open(bench.database.url);
  const searchFloor = await SearchFloor.open(stack.opensearchUrl, randomName('benchfloor'));
  const outcome = { api: [] as ApiSample[], pgFloor: [] as Array<number | null>, searchFloor: [] as Array<number | null> };
  try {
    for (let i = 0; i < settings.orders; i++) {
      await randomGap(settings.minGapMs, settings.maxGapMs + REFRESH_INTERVAL_MS);
      outcome.pgFloor.push(await pgFloor.sample(settings.deadlineMs));
      const floor = startedLater(() => searchFloor.sample(settings.deadlineMs));
      outcome.api.push(await sampleApi({ url: bench.url, agent, tokens: bench.tokens, skus, deadlineMs: settings.deadlineMs, onCommitted: floor.start }));
      outcome.searchFloor.push(await floor.result());
      if ((i + 1) % 10 === 0) console.log(`latency: ${i + 1}/${settings.orders} rounds`);
    }
  } finally {
    agent.destroy();
    await pgFloor.close();
    await searchFloor.close();
  }
  return outcome;
}

/** Runs the rounds on the given services; returns the printed table for run-all's summary. */
export async function runLatencyBench(stack: RunningStack): Promise<string> {
  const settings = latencyBenchSettings();
  const bench = await startBenchRuntime(stack);
  try {
    printMethod(settings, bench);
    const cpu = await startCpuWindow({ self: 'bench process (API runtime)', children: 'none' });
    const outcome = await rounds(bench, stack, settings);
    const usage = await cpu.stop();
    const table = latencyTable(outcome);
    console.log(`\n${table}\n`);
    for (const line of [...latencyExplanation(settings.orders), `CPU over the rounds: ${formatCpu(usage)}`, ...interference(usage, 'latency rounds')]) console.log(line);
    return `commit-to-visible, ${settings.orders} orders (${os.availableParallelism()} cores)\n${table}`;
  } finally {
    await bench.cleanup();
  }
}

async function main(): Promise<void> {
  await withServices(runLatencyBench);
}

if (isMain(import.meta.url)) runMain(main);
