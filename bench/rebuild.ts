/**
 * `npm run bench:rebuild`: a log of at least 100,000 valid events, written with the write
 * path's own command functions while the relay is stopped; then the relay starts and the live
 * pipeline projects the backlog (events/s per read model until each is caught up); then one
 * or more PostgreSQL read models are rebuilt from the log (events/s), and the two rates are
 * put side by side.
 */
import { readModels } from '../src/read-models/registry.js';
import type { RunningStack } from '../src/stack/index.js';
import { parseRebuildArgs, type RebuildBenchArgs } from './rebuild/args.js';
import { buildLog } from './rebuild/build-log.js';
import { measureDrain, type ModelDrain } from './rebuild/drain.js';
import { measureRebuild, type RebuildRun } from './rebuild/measure-rebuild.js';
import { startBenchRuntime, type BenchRuntime } from './support/bench-runtime.js';
import { machineFacts } from './support/machine.js';
import { isMain, runMain } from './support/main.js';
import { writeResultJson } from './support/results.js';
import { withServices } from './support/services.js';
import { ratio } from './support/stats.js';

async function writeLog(bench: BenchRuntime, args: RebuildBenchArgs): Promise<{ events: number; seconds: number }> {
  await bench.runtime.stopRelay();
  const started = performance.now();
  let shown = 0;
  const events = await buildLog(bench.runtime.db, args.events, (written) => {
    if (written - shown >= 10_000) console.log(`  ${(shown = written)} events written`);
  });
  return { events, seconds: (performance.now() - started) / 1000 };
}

function rateTable(drains: ModelDrain[], rebuilds: RebuildRun[]): string[] {
  const lines = ['| read model | live: s to drain | live events/s | rebuild: s | rebuild events/s | runs | rebuild / live |', '| --- | ---: | ---: | ---: | ---: | ---: | ---: |'];
  for (const drain of drains) {
    const rebuild = rebuilds.find((r) => r.readModel === drain.readModel);
    const cells = rebuild ? [rebuild.seconds.toFixed(1), rebuild.eventsPerSecond.toFixed(0), String(rebuild.runs), ratio(rebuild.eventsPerSecond, drain.eventsPerSecond)] : ['', '', '', ''];
    lines.push(`| ${drain.readModel} | ${drain.seconds.toFixed(1)} | ${drain.eventsPerSecond.toFixed(0)} | ${cells.join(' | ')} |`);
  }
  return lines;
}

async function runRebuildBench(stack: RunningStack, args: RebuildBenchArgs): Promise<void> {
  const bench = await startBenchRuntime(stack);
  try {
    const { relay, rebuild } = bench.config;
    console.log(`\n== bench:rebuild: live projection rate vs. rebuild rate over ${args.events} events ==`);
    console.log(`relay: max batch ${relay.maxBatchSize}, max in flight ${relay.maxInFlight}; rebuild: chunk ${rebuild.chunkSize}, ${rebuild.chunksPerRun} chunks per run`);
    for (const fact of machineFacts()) console.log(`machine: ${fact}`);
    const log = await writeLog(bench, args);
    console.log(`log: ${log.events} events written in ${log.seconds.toFixed(1)} s (relay stopped)`);
    await bench.runtime.startRelay();
    const models = readModels.map((m) => m.name);
    const drains = await measureDrain(bench.runtime.db, models, log.events, args.drainSeconds * 1000);
    for (const d of drains) console.log(`live: ${d.readModel} caught up after ${d.seconds.toFixed(1)} s, ${d.eventsPerSecond.toFixed(0)} events/s`);
    const rebuilds: RebuildRun[] = [];
    for (const model of args.rebuild) {
      const run = await measureRebuild(bench.runtime.temporal, bench.runtime.db, model, { taskQueue: bench.config.taskQueue, ...rebuild });
      console.log(`rebuild: ${model} swapped in after ${run.seconds.toFixed(1)} s, ${run.applied} events in ${run.runs} runs, ${run.eventsPerSecond.toFixed(0)} events/s`);
      rebuilds.push(run);
    }
    console.log(`\n${rateTable(drains, rebuilds).join('\n')}\n`);
    const file = await writeResultJson('rebuild', { args, machine: machineFacts(), log, relay, rebuild, drains, rebuilds });
    console.log(`result written to ${file}`);
  } finally {
    await bench.cleanup();
  }
}

async function main(): Promise<void> {
  const args = parseRebuildArgs(process.argv.slice(2));
  await withServices((stack) => runRebuildBench(stack, args));
}

if (isMain(import.meta.url)) runMain(main);
