import { randomBytes } from 'node:crypto';
import { loadConfig, type AppConfig, type Role } from '../../src/config.js';
import { startRuntime, type Runtime } from '../../src/runtime.js';
import { createSearchClient } from '../../src/search/client.js';
import type { RunningStack } from '../../src/stack/index.js';
import { createScratchDatabase, type ScratchDatabase } from './services.js';
import { quietTemporal, workflowBundle } from './temporal.js';

export type Tokens = Record<Role, string>;

export interface BenchRuntime {
  runtime: Runtime;
  url: string;
  tokens: Tokens;
  database: ScratchDatabase;
  config: AppConfig;
  /** Stops the runtime and removes everything it created; safe to call more than once. */
  cleanup(): Promise<void>;
}

function freshTokens(): Tokens {
  const token = (role: Role) => `bench-${role}-${randomBytes(16).toString('hex')}`;
  return { client: token('client'), support: token('support'), operator: token('operator') };
}

/**
 * A whole application (API, relay, projection worker) on the shared services, isolated like
 * the integration tests do it: its own database, search index prefix and task queue.
 */
export async function startBenchRuntime(stack: RunningStack): Promise<BenchRuntime> {
  quietTemporal();
  const bundle = await workflowBundle();
  const database = await createScratchDatabase(stack.databaseUrl);
  const tokens = freshTokens();
  const config: AppConfig = Object.freeze({
    ...loadConfig(),
    httpHost: '127.0.0.1',
    httpPort: 0,
    taskQueue: `projections-${database.name}`,
    searchIndexPrefix: database.name,
    // The scratch database goes at the end; a schedule would outlive it (bench:claim measures the archive).
    archiveIntervalMs: null,
    apiTokens: new Map(Object.entries(tokens).map(([role, token]) => [token, { role: role as Role }] as const)),
  });
  let runtime: Runtime;
  try {
    runtime = await startRuntime({
      databaseUrl: database.url,
      temporalAddress: stack.temporalAddress,
      opensearchUrl: stack.opensearchUrl,
      config,
      workflowBundle: bundle,
      http: true,
      // Request logs off: the bench measures the API, not log I/O (which costs ~3-4% here).
      httpLogger: false,
      log: (line, fields) => console.warn(`[runtime] ${line}${fields ? ` ${JSON.stringify(fields)}` : ''}`),
    });
  } catch (error) {
    await database.drop().catch(() => undefined);
    throw error;
  }
  let cleaning: Promise<void> | undefined;
  return {
    runtime, url: runtime.url!, tokens, database, config,
    cleanup: () => (cleaning ??= cleanup(runtime, database, config, stack.opensearchUrl)),
  };
}

async function step(what: string, action: () => Promise<unknown>): Promise<void> {
  try {
    await action();
  } catch (error) {
    console.warn(`cleanup: ${what} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}

async function cleanup(runtime: Runtime, database: ScratchDatabase, config: AppConfig, opensearchUrl: string): Promise<void> {
  // Terminated first: once the worker is gone, batches still running would stay open forever.
  await step('terminating workflows', () => terminateRunning(runtime, config.taskQueue));
  await step('stopping the runtime', () => runtime.stop());
  // Deleted only once no worker can write: a write to the freed alias name would recreate it.
  // Every OpenSearch read model names its indices `<prefix>-…`, so one pattern removes them all.
  await step('deleting the search indices', () => deleteIndices(opensearchUrl, `${config.searchIndexPrefix}-*`));
  await step('dropping the database', () => database.drop());
}

/** Resolved to names first: clusters with `action.destructive_requires_name` refuse a wildcard delete. */
export async function deleteIndices(opensearchUrl: string, pattern: string): Promise<void> {
  const search = createSearchClient(opensearchUrl);
  try {
    const found = await search.indices.get({ index: pattern, allow_no_indices: true, expand_wildcards: 'open' });
    const names = Object.keys(found.body as Record<string, unknown>);
    if (names.length > 0) await search.indices.delete({ index: names.join(',') });
  } finally {
    await search.close();
  }
}

async function terminateRunning(runtime: Runtime, taskQueue: string): Promise<void> {
  const query = `TaskQueue = '${taskQueue}' AND ExecutionStatus = 'Running'`;
  let terminated = 0;
  for await (const workflow of runtime.temporal.workflow.list({ query })) {
    await runtime.temporal.workflow.getHandle(workflow.workflowId).terminate('bench finished').catch(() => undefined);
    if (++terminated >= 10_000) break; // bounded, whatever the listing says
  }
  if (terminated > 0) console.log(`cleanup: terminated ${terminated} running workflow(s)`);
}
