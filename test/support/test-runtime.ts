import { inject } from 'vitest';
import { loadConfig, type AppConfig, type Role } from '../../src/config.js';
import { startRuntime, type Runtime } from '../../src/runtime.js';
import { createSearchClient } from '../../src/search/client.js';
import { createTestDatabase } from './test-database.js';

export const TOKENS: Record<Role, string> = {
  client: 'test-client-token-0000000000',
  support: 'test-support-token-000000000',
  operator: 'test-operator-token-00000000',
};
/** A second client, to show that what one caller does is invisible to another. */
export const OTHER_CLIENT_TOKEN = 'test-other-client-token-0000';

export interface TestRuntime extends Runtime {
  url: string;
  databaseUrl: string;
  config: AppConfig;
}

/**
 * A whole application (API, relay, projection worker) on the shared real services, isolated
 * by its own database, index prefix and task queue.
 */
export async function startTestRuntime(overrides: Partial<AppConfig> = {}): Promise<TestRuntime> {
  const database = await createTestDatabase();
  const id = database.name;
  const databaseUrl = database.url;
  await database.db.destroy();
  const base = loadConfig();
  const config: AppConfig = Object.freeze({
    ...base,
    httpPort: 0,
    taskQueue: `projections-${id}`,
    searchIndexPrefix: id,
    apiTokens: new Map<string, Role>([...Object.entries(TOKENS).map(([role, token]) => [token, role as Role] as const), [OTHER_CLIENT_TOKEN, 'client']]),
    ...overrides,
  });
  const runtime = await startRuntime({
    databaseUrl,
    temporalAddress: inject('stack').temporalAddress,
    opensearchUrl: inject('stack').opensearchUrl,
    config,
    workflowBundle: { code: inject('workflowBundle') },
    httpLogger: false,
  });
  const stop = async () => {
    // Batches still in flight would stay open forever once this file's worker is gone.
    const running = runtime.temporal.workflow.list({ query: `TaskQueue = '${config.taskQueue}' AND ExecutionStatus = 'Running'` });
    for await (const workflow of running) {
      await runtime.temporal.workflow.getHandle(workflow.workflowId).terminate('test finished').catch(() => undefined);
    }
    await runtime.stop();
    await database.drop();
    const search = createSearchClient(inject('stack').opensearchUrl);
    // Every OpenSearch read model names its indexes after the prefix.
    await search.indices.delete({ index: `${id}-*` }).catch(() => undefined);
    await search.close();
  };
  return { ...runtime, url: runtime.url!, databaseUrl, config, stop };
}
