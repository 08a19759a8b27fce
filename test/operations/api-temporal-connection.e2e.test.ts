import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { loadConfig, type AppConfig } from '../../src/config.js';
import { startApi, type ApiProcess } from '../../src/processes/api.js';
import { call } from '../support/http.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { testTokenGrants } from '../support/test-runtime.js';

let database: TestDatabase;
let api: ApiProcess;
let config: AppConfig;
const opened: Array<{ mock: { calls: unknown[] }; mockRestore(): void }> = [];
const connectionsOpened = () => opened.reduce((sum, spy) => sum + spy.mock.calls.length, 0);

beforeAll(async () => {
  database = await createTestDatabase();
  // Spies that call through: the connections are real, the test only counts them.
  opened.push(vi.spyOn(Connection, 'connect'), vi.spyOn(Connection, 'lazy'));
  config = Object.freeze({ ...loadConfig(), httpPort: 0, taskQueue: `projections-${database.name}`, searchIndexPrefix: database.name, apiTokens: testTokenGrants() });
  api = await startApi({
    databaseUrl: database.url, opensearchUrl: inject('stack').opensearchUrl, temporalAddress: inject('stack').temporalAddress,
    config, httpLogger: false, log: () => undefined,
  });
});

afterAll(async () => {
  await api?.stop();
  for (const spy of opened) spy.mockRestore();
  await api?.search.indices.delete({ index: `${database.name}-*` }).catch(() => undefined);
  await database?.drop();
});

/** The rebuild has no worker on its task queue here: it is only started, then ended. */
async function terminate(workflowId: string): Promise<void> {
  for (const spy of opened) spy.mockRestore();
  const connection = await Connection.connect({ address: inject('stack').temporalAddress });
  try {
    await new Client({ connection }).workflow.getHandle(workflowId).terminate('test finished');
  } finally {
    await connection.close();
  }
}

describe('the API process and Temporal', () => {
  it('reads batch status and starts rebuilds over one Temporal connection', async () => {
    const before = await call(api.url!, 'GET', '/ops/read-models', { role: 'operator' });
    expect(before.status).toBe(200);
    expect(before.body.temporal).toBe('reachable');

    const started = await call(api.url!, 'POST', '/ops/read-models/order-status/rebuild', { role: 'operator' });
    expect(started.status).toBe(202);

    expect(connectionsOpened()).toBe(1);
    await terminate(started.body.workflowId);
  });
});
