/** `npm run bench`: both benches in sequence on one set of services, then both tables. */
import { runCommandsBench } from './commands.js';
import { requirePgbench } from './commands/pgbench.js';
import { runLatencyBench } from './latency.js';
import { isMain, runMain } from './support/main.js';
import { startServices } from './support/services.js';

async function main(): Promise<void> {
  await requirePgbench(); // before any service is started
  const stack = await startServices();
  try {
    const commands = await runCommandsBench(stack);
    const latency = await runLatencyBench(stack);
    console.log(`\n== summary ==\n\n${commands}\n\n${latency}`);
  } finally {
    await stack.stop();
  }
}

if (isMain(import.meta.url)) runMain(main);
