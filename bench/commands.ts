/**
 * `npm run bench:commands`: POST /orders throughput and latency under 32 concurrent
 * keep-alive clients, against pgbench doing the same database work on the same server.
 */
import os from 'node:os';
import type { RunningStack } from '../src/stack/index.js';
import { runApiLoad } from './commands/api-load.js';
import { createBaselineDatabase } from './commands/baseline-database.js';
import { measureDrain } from './commands/drain.js';
import { pgbenchPayloads } from './commands/pgbench-payloads.js';
import { pgbenchScript } from './commands/pgbench-script.js';
import { requirePgbench, runPgbench } from './commands/pgbench.js';
import { commandsDetails, commandsTable, type CommandsOutcome } from './commands/report.js';
import { documentSizes } from './commands/sizes.js';
import { startBenchRuntime } from './support/bench-runtime.js';
import { startCpuWindow } from './support/cpu.js';
import { keepAliveAgent } from './support/http.js';
import { machineFacts } from './support/machine.js';
import { isMain, runMain } from './support/main.js';
import { benchSkus, createProducts } from './support/products.js';
import { checkpoint, serverSettings, serverVersion, withServices } from './support/services.js';
import { commandsBenchSettings, type CommandsBenchSettings } from './support/settings.js';

/** BENCH_PGBENCH_CLAIM=separate: pgbench commits the key claim on its own first (the API claims it in the command transaction). */
function claimSeparately(): boolean {
  return process.env.BENCH_PGBENCH_CLAIM === 'separate';
}

function transactionShape(): string {
  return claimSeparately()
    ? 'two transactions per order (unlike the API): the idempotency key claim commits on its own, then'
    : 'one transaction per order, as the API:';
}

function printMethod(settings: CommandsBenchSettings, pgbenchVersion: string, postgres: string): void {
  const { seconds, warmupSeconds, clients, products } = settings;
  console.log(`
== bench:commands: POST /orders vs. pgbench doing the same SQL ==
method: ${clients} concurrent clients for ${warmupSeconds} s warm-up + ${seconds} s measured, on each side in turn
  (pgbench first, then the API). Only what completes inside the measured window counts.
  API: a separate load-generator process, keep-alive HTTP, fresh Idempotency-Key per request,
       1-3 items on ${products} products with huge stock; the runtime (HTTP API, outbox relay,
       Temporal projection worker) runs in this process on its own throwaway database.
  pgbench: ${pgbenchVersion}, --protocol=extended (parameters, as node-pg), -c ${clients} -j ${Math.min(2, clients)},
       ${transactionShape()} claim the key, lock products in SKU order, insert order,
       items, decrement stock, insert outbox event, complete the key; same schema (incl. the
       outbox NOTIFY trigger) and catalog in its own throwaway database; latency from its
       per-transaction log. Same draw of items on both sides, so both contend on the same hot rows.
  Not like for like: the API side also runs the projections (relay, Temporal, OpenSearch) on the
  same cores while it is measured; pgbench pays for PostgreSQL alone. The CPU lines below show
  where the cores went.
  A CHECKPOINT runs before each side. p50/p99: nearest rank over every success in the window.
postgres: ${postgres}`);
  for (const fact of machineFacts()) console.log(`machine: ${fact}`);
}

async function pgbenchSide(stack: RunningStack, settings: CommandsBenchSettings, skus: string[]) {
  const database = await createBaselineDatabase(stack.databaseUrl, skus);
  try {
    const script = pgbenchScript({ products: skus.length, claimInOwnTransaction: claimSeparately() });
    await checkpoint(stack.databaseUrl);
    console.log(`pgbench: running ${settings.warmupSeconds + settings.seconds} s ...`);
    const cpu = await startCpuWindow({ self: 'bench process (idle)', children: 'pgbench' });
    const result = await runPgbench({ databaseUrl: database.url, script, payloads: pgbenchPayloads(skus), clients: settings.clients, warmupSeconds: settings.warmupSeconds, seconds: settings.seconds });
    const usage = await cpu.stop();
    return { result, cpu: usage, sizes: await documentSizes(database.url) };
  } finally {
    await database.drop();
  }
}

async function apiSide(stack: RunningStack, settings: CommandsBenchSettings, skus: string[]) {
  const bench = await startBenchRuntime(stack);
  try {
    const agent = keepAliveAgent();
    await createProducts(bench.url, agent, bench.tokens.operator, skus);
    agent.destroy();
    await checkpoint(stack.databaseUrl);
    console.log(`API: running ${settings.warmupSeconds + settings.seconds} s against ${bench.url} ...`);
    const cpu = await startCpuWindow({ self: 'API process', children: 'load generator' });
    const loop = performance.eventLoopUtilization();
    const result = await runApiLoad({
      url: bench.url, token: bench.tokens.client, skus, clients: settings.clients,
      warmupMs: settings.warmupSeconds * 1000, measureMs: settings.seconds * 1000,
    });
    const usage = await cpu.stop();
    const eventLoopBusy = performance.eventLoopUtilization(loop).utilization;
    console.log(`API: load stopped; waiting up to ${settings.drainSeconds} s for the projections to drain ...`);
    const drain = await measureDrain(bench.runtime, settings.drainSeconds * 1000);
    return { result, cpu: usage, eventLoopBusy, drain, sizes: await documentSizes(bench.database.url) };
  } finally {
    await bench.cleanup();
  }
}

/** Runs both sides on the given services; returns the printed table for run-all's summary. */
export async function runCommandsBench(stack: RunningStack): Promise<string> {
  const pgbenchVersion = await requirePgbench();
  const settings = commandsBenchSettings();
  const postgres = `${await serverVersion(stack.databaseUrl)} (${await serverSettings(stack.databaseUrl)})`;
  printMethod(settings, pgbenchVersion, postgres);
  const skus = benchSkus(settings.products);
  const pg = await pgbenchSide(stack, settings, skus);
  const api = await apiSide(stack, settings, skus);
  const outcome: CommandsOutcome = {
    api: api.result, pgbench: pg.result, apiCpu: api.cpu, apiEventLoopBusy: api.eventLoopBusy,
    pgbenchCpu: pg.cpu, drain: api.drain, apiSizes: api.sizes, pgbenchSizes: pg.sizes,
  };
  const table = commandsTable(outcome);
  console.log(`\n${table}\n`);
  for (const line of commandsDetails(outcome)) console.log(line);
  return `POST /orders, ${settings.clients} clients, ${settings.seconds} s (${os.availableParallelism()} cores)\n${table}`;
}

async function main(): Promise<void> {
  await requirePgbench(); // before any service is started
  await withServices(runCommandsBench);
}

if (isMain(import.meta.url)) runMain(main);
