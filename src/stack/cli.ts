/**
 * `npm run stack`: brings the services up, prints how to reach them, and
 * keeps them up until Ctrl-C / SIGTERM, then stops what it started.
 */
import { startStack, type RunningStack, type ServiceTiming } from './index.js';
import { describeError } from './wait.js';

const cancel = new AbortController();
let stack: RunningStack | undefined;
let stopping = false;
let stoppingSince = 0;

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => void shutdown(signal));
}

async function shutdown(signal: NodeJS.Signals): Promise<void> {
  // Ctrl-C reaches both tsx and us, and tsx relays it: one keypress, two signals.
  if (stopping && Date.now() - stoppingSince > 1000) console.log('[stack] still stopping (deadlines apply)');
  if (stopping) return;
  stopping = true;
  stoppingSince = Date.now();
  // Before the stack is up, cancelling makes startStack clean up and reject.
  cancel.abort(new Error(`received ${signal}`));
  if (!stack) return;
  if (stack.timings.some((t) => t.source === 'started')) console.log('[stack] stopping the services started here…');
  await stack.stop();
  console.log('[stack] done');
  process.exit(0);
}

function printEndpoints(running: RunningStack): void {
  const variables: Array<[string, string | null]> = [
    ['DATABASE_URL', running.databaseUrl],
    ['TEMPORAL_ADDRESS', running.temporalAddress],
    ['OPENSEARCH_URL', running.opensearchUrl],
  ];
  console.log('\nTo use these services from another shell:');
  for (const [name, value] of variables) console.log(`export ${name}='${value}'`);
  if (running.temporalUiUrl) console.log(`\nTemporal UI: ${running.temporalUiUrl}`);
}

function printTimings(timings: ServiceTiming[]): void {
  const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`.padStart(9);
  console.log(`\n${'service'.padEnd(11)}${'source'.padEnd(9)}${'provision'.padStart(9)}${'start'.padStart(9)}`);
  for (const t of timings) {
    console.log(`${t.service.padEnd(11)}${t.source.padEnd(9)}${seconds(t.provisionMs)}${seconds(t.startMs)}`);
  }
}

async function main(): Promise<void> {
  try {
    stack = await startStack({ log: (line) => console.log(`[stack] ${line}`), signal: cancel.signal });
  } catch (error) {
    if (stopping) console.log('[stack] start cancelled; services started so far were stopped');
    else console.error(`[stack] ${describeError(error)}`);
    process.exit(stopping ? 0 : 1);
  }
  if (stopping) {
    await stack.stop();
    process.exit(0);
  }
  printEndpoints(stack);
  printTimings(stack.timings);
  const owned = stack.timings.filter((t) => t.source === 'started').map((t) => t.service);
  const stops = owned.length > 0 ? owned.join(', ') : 'nothing (all services were already running)';
  console.log(`\nRunning. Ctrl-C stops ${stops}.`);
  // Reused services give the event loop nothing to wait on; stay up until a signal.
  setInterval(() => undefined, 1 << 30);
}

await main();
