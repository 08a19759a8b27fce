/**
 * `npm run bench:lag`: orders placed at a steady, open-loop rate (each then paid, shipped and
 * noted), commit-to-visible per registered read model from its ledger, the projected events/s
 * while the outbox backlog stays flat, and the raw `_bulk` rate of the same documents.
 */
import type { RunningStack } from '../src/stack/index.js';
import { readModels } from '../src/read-models/registry.js';
import { parseLagArgs, type LagBenchArgs } from './lag/args.js';
import { measureRawBulk, type BulkBaseline } from './lag/bulk-baseline.js';
import type { LoadTarget } from './lag/load.js';
import { EXPLANATION, bulkLines, trialForJson, trialLines, visibilityTable } from './lag/report.js';
import { highestHeld, searchRates } from './lag/holds.js';
import { runTrial, type TrialResult } from './lag/trial.js';
import { startBenchRuntime, type BenchRuntime } from './support/bench-runtime.js';
import { keepAliveAgent } from './support/http.js';
import { machineFacts } from './support/machine.js';
import { isMain, runMain } from './support/main.js';
import { writeResultJson } from './support/results.js';
import { benchSkus, createProducts } from './support/products.js';
import { withServices } from './support/services.js';

/** Enough products that 1-3 consecutive SKUs per order rarely wait on each other's stock rows. */
const PRODUCTS = 16;

function printMethod(args: LagBenchArgs, bench: BenchRuntime): void {
  const { relay } = bench.config;
  console.log(`
== bench:lag: commit-to-visible and sustained projection rate ==
method: open loop at --rate ${args.rate} orders/s for ${args.warmupSeconds} s warm-up + ${args.seconds} s window; each order placed,
  then paid, shipped and noted (4 events). Read models: ${readModels.map((m) => m.name).join(', ')}.${args.find ? '\n  --find: halve the rate until it holds, then bisect once.' : ''}
  relay: max batch ${relay.maxBatchSize}, max in flight ${relay.maxInFlight}, fallback poll ${relay.pollIntervalMs} ms`);
  for (const fact of machineFacts()) console.log(`machine: ${fact}`);
}

function printTrial(trial: TrialResult): void {
  console.log(`\n${visibilityTable(trial)}\n`);
  for (const line of trialLines(trial)) console.log(line);
}

async function baseline(bench: BenchRuntime, stack: RunningStack, trial: TrialResult): Promise<BulkBaseline | null> {
  if (!readModels.some((m) => m.name === 'support-search')) return null;
  const bulk = await measureRawBulk(bench.runtime.db, stack.opensearchUrl, trial.window, bench.config.relay.maxInFlight);
  return bulk.events > 0 ? bulk : null;
}

async function runLagBench(stack: RunningStack, args: LagBenchArgs): Promise<void> {
  const bench = await startBenchRuntime(stack);
  const agent = keepAliveAgent(256);
  try {
    printMethod(args, bench);
    const skus = benchSkus(PRODUCTS);
    await createProducts(bench.url, agent, bench.tokens.operator, skus);
    const target: LoadTarget = { url: bench.url, agent, tokens: bench.tokens, skus };
    const done = await searchRates(args.rate, args.find, async (rate) => {
      console.log(`\nlag: ${rate} orders/s for ${args.warmupSeconds + args.seconds} s ...`);
      const trial = await runTrial(bench, target, { rate, warmupSeconds: args.warmupSeconds, seconds: args.seconds, drainSeconds: args.drainSeconds, searchEvery: args.searchEvery });
      printTrial(trial);
      return trial;
    });
    const chosen = highestHeld(done);
    const bulk = await baseline(bench, stack, chosen);
    console.log(`\n== result: ${chosen.holds ? `highest rate that holds: ${chosen.plan.rate} orders/s` : `no tried rate held (last: ${chosen.plan.rate} orders/s)`} ==`);
    printTrial(chosen);
    for (const line of [...bulkLines(chosen, bulk), '', ...EXPLANATION]) console.log(line);
    const file = await writeResultJson('lag', { args, machine: machineFacts(), trials: done.map(trialForJson), reported: chosen.plan.rate, bulk });
    console.log(`\nresult written to ${file}`);
  } finally {
    agent.destroy();
    await bench.cleanup();
  }
}

async function main(): Promise<void> {
  const args = parseLagArgs(process.argv.slice(2));
  await withServices((stack) => runLagBench(stack, args));
}

if (isMain(import.meta.url)) runMain(main);
