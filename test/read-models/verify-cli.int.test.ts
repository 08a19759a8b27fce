import { execFile } from 'node:child_process';
import { MockActivityEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, expect, it, inject } from 'vitest';
import { createReadModelActivities } from '../../activities/read-model-activities.js';
import type { ReadModelDeps } from '../../src/read-models/read-model.js';
import { readModels } from '../../src/read-models/registry.js';
import { createSearchClient, type SearchClient } from '../../src/search/client.js';
import { claimAll, writeRealisticLog } from '../support/realistic-log.js';
import { createTestDatabase, uniqueName, type TestDatabase } from '../support/test-database.js';

let search: SearchClient;
let database: TestDatabase;
let deps: ReadModelDeps;

// Given: a log written by real commands and applied to every read model.
beforeAll(async () => {
  search = createSearchClient(inject('stack').opensearchUrl);
  database = await createTestDatabase();
  deps = { db: database.db, search, searchIndexPrefix: uniqueName('v') };
  for (const model of readModels) await model.ensureStorage?.(deps);
  await writeRealisticLog(deps.db);
  const activities = createReadModelActivities(deps, readModels);
  for (const batch of await claimAll(deps.db, 10)) {
    for (const model of readModels) await new MockActivityEnvironment().run(activities.applyReadModel, { readModel: model.name, eventIds: batch });
  }
});
afterAll(async () => {
  await search?.indices.delete({ index: `${deps.searchIndexPrefix}-*` }).catch(() => undefined);
  await search?.close();
  await database?.drop();
});

/** `npm run verify` as an operator runs it, pointed at this file's database and index prefix. */
function verifyCommand(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { ...process.env, DATABASE_URL: database.url, OPENSEARCH_URL: inject('stack').opensearchUrl, SEARCH_INDEX_PREFIX: deps.searchIndexPrefix };
  return new Promise((resolve) => {
    execFile('node_modules/.bin/tsx', ['src/read-models/verify/cli.ts', ...args], { env }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
    });
  });
}

it('prints a row per model and exits 0 when everything matches the log', async () => {
  const { code, stdout } = await verifyCommand('--wait', '10s');

  expect(stdout).toMatch(/^Fresh fold of the outbox log: \d+ events, 10 orders$/m);
  // Order-level models check the 10 orders; the dashboard also checks its buckets and minutes.
  for (const name of ['write-model', ...readModels.map((m) => m.name)]) expect(stdout).toMatch(new RegExp(`^${name}\\s.*\\s(\\d+)\\s+\\1\\s+0$`, 'm'));
  expect(stdout).toMatch(/^order-status\s.*\s10\s+10\s+0$/m);
  expect(stdout).toContain('Every model matches the log.');
  expect(code).toBe(0);
});

it('names the order and the field, never the data, and exits 1 when a read model differs', async () => {
  const order = await deps.db.selectFrom('order_summary').select('order_id').orderBy('order_id').executeTakeFirstOrThrow();
  await deps.db.updateTable('order_summary').set({ customer_id: 'someone-else', item_count: 0 }).where('order_id', '=', order.order_id).execute();

  const { code, stdout } = await verifyCommand('--show', '5');

  expect(stdout).toMatch(/^order-status\s.*\s10\s+9\s+1$/m);
  expect(stdout).toContain(`order ${order.order_id}: fields differ from the log: customer_id, item_count`);
  expect(stdout).not.toMatch(/@example\.com|Buyer|\+4930|someone-else|\bc-\d/);
  expect(code).toBe(1);
});

it('refuses an unknown argument or a malformed duration with exit status 2 and the usage', async () => {
  const unknown = await verifyCommand('--fast');
  const duration = await verifyCommand('--wait', '30');

  expect(unknown).toMatchObject({ code: 2, stdout: '' });
  expect(unknown.stderr).toContain('unknown argument "--fast"');
  expect(duration.stderr).toContain('a duration looks like 90s, 15m or 2h, not "30"');
  expect(duration.stderr).toContain('usage: npm run verify');
  expect(duration.code).toBe(2);
});
