/**
 * `npm run bench:outage`: under a steady order load, the support-search index is closed for
 * `--outage` seconds (writes refused: a real, transient store outage), then opened again; the
 * time from the reopen until the model's lag (GET /ops/read-models) is back to zero, over
 * `--trials` outages, next to what the retry backoff predicts.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { supportSearchIndexNames } from '../src/read-models/support-search/storage.js';
import type { RunningStack } from '../src/stack/index.js';
import { nextRetryWait, RETRY } from './outage/backoff.js';
import { progressOf, untilCaughtUp, type ModelProgress } from './outage/lag.js';
import { steadyLoad } from './outage/steady-load.js';
import { startBenchRuntime, type BenchRuntime } from './support/bench-runtime.js';
import { boundedInteger } from './support/bounded-integer.js';
import { keepAliveAgent } from './support/http.js';
import { machineFacts } from './support/machine.js';
import { isMain, runMain } from './support/main.js';
import { benchSkus, createProducts } from './support/products.js';
import { writeResultJson } from './support/results.js';
import { withServices } from './support/services.js';
import { percentile } from './support/stats.js';

const MODEL = 'support-search';

interface OutageArgs {
  outageSeconds: number;
  trials: number;
  rate: number;
}

function parseArgs(argv: readonly string[]): OutageArgs {
  const value = (name: string, fallback: number, range: readonly [number, number]) => {
    const at = argv.indexOf(`--${name}`);
    return at < 0 ? fallback : boundedInteger(name, range, argv[at + 1]);
  };
  return { outageSeconds: value('outage', 20, [1, 600]), trials: value('trials', 3, [1, 20]), rate: value('rate', 2, [1, 100]) };
}

interface Trial {
  outageSeconds: number;
  /** From the reopen until every event committed before it was applied. */
  backlogSeconds: number;
  /** From the reopen until the lag read zero. */
  lagZeroSeconds: number;
  /** Events the model was behind at most while catching up. */
  maxLag: number;
  predictedFirstRetrySeconds: number;
}

async function outage(bench: BenchRuntime, readProgress: () => Promise<ModelProgress>, seconds: number): Promise<Trial> {
  await untilCaughtUp(readProgress, 300); // each outage starts from a caught-up model
  const { index } = supportSearchIndexNames(bench.config.searchIndexPrefix);
  await bench.runtime.search.indices.close({ index });
  await sleep(seconds * 1000); // the outage itself: a duration, not a wait for something
  await bench.runtime.search.indices.open({ index });
  const { backlogSeconds, lagZeroSeconds, maxLag } = await untilCaughtUp(readProgress, 600);
  return { outageSeconds: seconds, backlogSeconds, lagZeroSeconds, maxLag, predictedFirstRetrySeconds: nextRetryWait(seconds) };
}

function summary(name: string, values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  return `${name} p50 ${percentile(sorted, 50).toFixed(1)} s, max ${sorted.at(-1)!.toFixed(1)} s`;
}

function report(trials: Trial[]): string[] {
  return [
    '| trial | outage s | reopen → backlog applied, s | reopen → lag 0, s | max lag (events) | first failing attempt\'s next retry after the reopen, s |',
    '| ---: | ---: | ---: | ---: | ---: | ---: |',
    ...trials.map((t, i) => `| ${i + 1} | ${t.outageSeconds} | ${t.backlogSeconds.toFixed(1)} | ${t.lagZeroSeconds.toFixed(1)} | ${t.maxLag} | ${t.predictedFirstRetrySeconds.toFixed(1)} |`),
    '',
    `${summary('backlog applied', trials.map((t) => t.backlogSeconds))}; ${summary('lag 0', trials.map((t) => t.lagZeroSeconds))}`,
    `retry policy: ${RETRY.initialSeconds} s doubling to ${RETRY.maximumSeconds} s; a batch that began failing when the store closed retries at`,
    '0.5, 1.5, 3.5, 7.5, 15.5, 31.5, 61.5 s, … after that: after the reopen it waits for its next attempt, and batches that began failing later wait for theirs.',
  ];
}

async function runOutageBench(stack: RunningStack, args: OutageArgs): Promise<void> {
  const bench = await startBenchRuntime(stack);
  const agent = keepAliveAgent(64);
  try {
    console.log(`\n== bench:outage: ${MODEL} index closed ${args.outageSeconds} s, ${args.trials} times, under ${args.rate} orders/s (4 events each) ==`);
    for (const fact of machineFacts()) console.log(`machine: ${fact}`);
    const skus = benchSkus(8);
    await createProducts(bench.url, agent, bench.tokens.operator, skus);
    const load = steadyLoad({ url: bench.url, agent, tokens: bench.tokens, skus }, args.rate);
    const readProgress = () => progressOf(bench.url, agent, bench.tokens.operator, MODEL);
    const trials: Trial[] = [];
    try {
      for (let i = 0; i < args.trials; i++) {
        const trial = await outage(bench, readProgress, args.outageSeconds);
        trials.push(trial);
        console.log(`trial ${i + 1}: backlog applied ${trial.backlogSeconds.toFixed(1)} s, lag zero ${trial.lagZeroSeconds.toFixed(1)} s after the reopen`);
      }
    } finally {
      const rounds = await load.stop();
      console.log(`load: ${rounds.reduce((n, r) => n + r.completed, 0)} orders completed`);
    }
    console.log(`\n${report(trials).join('\n')}\n`);
    console.log(`result written to ${await writeResultJson('outage', { args, machine: machineFacts(), trials })}`);
  } finally {
    agent.destroy();
    await bench.cleanup();
  }
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  await withServices((stack) => runOutageBench(stack, args));
}

if (isMain(import.meta.url)) runMain(main);
