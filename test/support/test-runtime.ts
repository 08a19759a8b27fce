import { inject } from 'vitest';
import { loadConfig, type AppConfig, type Role, type TokenGrant } from '../../src/config.js';
import { startRuntime, type Runtime } from '../../src/runtime.js';
import { createSearchClient } from '../../src/search/client.js';
import { readOutboxId } from '../../src/relay/claim.js';
import { archiveScheduleId } from '../../src/temporal/archive-schedule.js';
import { createTestDatabase } from './test-database.js';

export const TOKENS: Record<Role, string> = {
  client: 'test-client-token-0000000000',
  support: 'test-support-token-000000000',
  operator: 'test-operator-token-00000000',
};
/** A second client, to show that what one caller does is invisible to another. */
export const OTHER_CLIENT_TOKEN = 'test-other-client-token-0000';
/** A client token bound to one customer: it sees and acts on that customer's orders only. */
export const BOUND_CLIENT = { token: 'test-bound-client-token-0000', customerId: 'cust-bound-1' } as const;

/** Every test token, as API_TOKENS would configure them. */
export function testTokenGrants(): Map<string, TokenGrant> {
  const roleTokens = Object.entries(TOKENS).map(([role, token]) => [token, { role: role as Role }] as const);
  return new Map<string, TokenGrant>([
    ...roleTokens,
    [OTHER_CLIENT_TOKEN, { role: 'client' }],
    [BOUND_CLIENT.token, { role: 'client', customerId: BOUND_CLIENT.customerId }],
  ]);
}

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
    apiTokens: testTokenGrants(),
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
    if (config.archiveIntervalMs !== null) await deleteArchiveSchedule(runtime);
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

/** The schedule would outlive this file's database and worker. */
async function deleteArchiveSchedule(runtime: Runtime): Promise<void> {
  const outboxId = await readOutboxId(runtime.db);
  await runtime.temporal.schedule.getHandle(archiveScheduleId(outboxId)).delete().catch(() => undefined);
}
