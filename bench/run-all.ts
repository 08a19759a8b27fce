/** `npm run bench`: both benches in sequence on one set of services, then both tables. */
import { runCommandsBench } from './commands.js';
import { requirePgbench } from './commands/pgbench.js';
import { runLatencyBench } from './latency.js';
import { isMain, runMain } from './support/main.js';
import { withServices } from './support/services.js';

async function main(): Promise<void> {
  await requirePgbench(); // before any service is started
  await withServices(async (stack) => {
    const commands = await runCommandsBench(stack);
    const latency = await runLatencyBench(stack);
    console.log(`\n== summary ==\n\n${commands}\n\n${latency}`);
  });
}

if (isMain(import.meta.url)) runMain(main);
