import { randomBytes } from 'node:crypto';
import { DefaultLogger, Runtime as TemporalRuntime } from '@temporalio/worker';
import { loadConfig, type AppConfig, type Role } from './config.js';
import { startRuntime, type Runtime } from './runtime.js';
import { startStack, type RunningStack } from './stack/index.js';

/** Without API_TOKENS, a local run gets one fresh token per role, printed once below. */
function withGeneratedTokens(config: AppConfig): { config: AppConfig; generated: boolean } {
  if (config.apiTokens.size > 0) return { config, generated: false };
  const roles: Role[] = ['client', 'support', 'operator'];
  const apiTokens = new Map(roles.map((role) => [`${role}-${randomBytes(18).toString('base64url')}`, { role }] as const));
  return { config: Object.freeze({ ...config, apiTokens }), generated: true };
}

function log(line: string, fields?: Record<string, unknown>): void {
  console.log(fields ? `${line} ${JSON.stringify(fields)}` : line);
}

function printBanner(runtime: Runtime, stack: RunningStack, config: AppConfig, generated: boolean): void {
  log('');
  log(`API          ${runtime.url}`);
  log(`Temporal UI  ${stack.temporalUiUrl ?? '(external Temporal: use its own UI)'}`);
  log(`OpenSearch   ${stack.opensearchUrl}`);
  if (generated) {
    log('\nAPI tokens for this run (set API_TOKENS=token=role,... to choose your own):');
    for (const [token, { role }] of config.apiTokens) log(`  ${role.padEnd(9)} ${token}`);
  }
  log('\nCtrl-C stops everything this command started.');
}

async function main(): Promise<void> {
  // Shutdown order is ours (API, relay, then worker), not the Temporal SDK's own signal handler;
  // its routine start-up chatter stays out of the way, warnings still show.
  TemporalRuntime.install({ shutdownSignals: [], logger: new DefaultLogger('WARN') });
  const { config, generated } = withGeneratedTokens(loadConfig());
  const cancelStart = new AbortController();
  let stack: RunningStack | null = null;
  let runtime: Runtime | null = null;
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return; // one Ctrl-C can arrive twice (npm and tsx both relay it)
    stopping = true;
    log(`\n${signal}: stopping`);
    cancelStart.abort(new Error(`received ${signal}`));
    await runtime?.stop().catch((e) => log('runtime stop failed', { error: String(e) }));
    await stack?.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  stack = await startStack({ log, signal: cancelStart.signal });
  if (stopping) return;
  runtime = await startRuntime({
    databaseUrl: stack.databaseUrl,
    temporalAddress: stack.temporalAddress,
    opensearchUrl: stack.opensearchUrl,
    config,
    log,
  });
  if (stopping) return;
  printBanner(runtime, stack, config, generated);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
