import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { supportSearchIndexNames } from '../../src/read-models/support-search/storage.js';
import { call } from '../support/http.js';
import { placeOrderFor } from '../support/orders.js';
import { eventually } from '../support/poll.js';
import { startTestRuntime, type TestRuntime } from '../support/test-runtime.js';

let app: TestRuntime;
beforeAll(async () => {
  app = await startTestRuntime();
});
afterAll(async () => {
  await app?.stop();
});

async function runningBatch(): Promise<string> {
  return eventually('a running batch workflow', async () => {
    const query = `TaskQueue = '${app.config.taskQueue}' AND ExecutionStatus = 'Running'`;
    for await (const workflow of app.temporal.workflow.list({ query })) return workflow.workflowId;
    return undefined;
  });
}

describe('a read model whose store is unavailable for a while', () => {
  it('retries with every attempt in the workflow, and is caught up once the store is back', async () => {
    const { index } = supportSearchIndexNames(app.searchIndexPrefix);
    // A closed index refuses writes until it is opened again: a real, transient outage.
    await app.search.indices.close({ index });
    const { orderId } = await placeOrderFor(app.url);
    const customerId = (await app.db.selectFrom('orders').select('customer_id').where('id', '=', orderId).executeTakeFirstOrThrow()).customer_id;

    const handle = app.temporal.workflow.getHandle(await runningBatch());
    const retrying = await eventually('the search activity retried', async () => {
      const pending = (await handle.describe()).raw.pendingActivities ?? [];
      return pending.find((a) => (a.attempt ?? 0) >= 3);
    }, 30_000);
    expect(retrying.lastFailure?.message).toContain('index_closed_exception');
    const status = await call(app.url, 'GET', `/orders/${orderId}?minVersion=1&waitMs=5000`);
    expect(status.body.freshness.sourceVersion).toBe(1); // the other read model was not held up

    await app.search.indices.open({ index });
    const reopened = Date.now();
    await eventually('the order searchable', async () => {
      const found = await call(app.url, 'GET', `/support/search?customerId=${customerId}`, { role: 'support' });
      return found.status === 200 && found.body.count === 1;
    }, 90_000);
    expect(Date.now() - reopened).toBeLessThan(90_000);
    await handle.result();

    // The documented backoff, as recorded for every projection activity in the history.
    const scheduled = (await handle.fetchHistory()).events!.filter((e) => e.activityTaskScheduledEventAttributes);
    const retry = scheduled.map((e) => e.activityTaskScheduledEventAttributes!.retryPolicy!);
    expect(retry.map((r) => [Number(r.initialInterval!.nanos) / 1e6, r.backoffCoefficient, Number(r.maximumInterval!.seconds)]))
      .toEqual(scheduled.map(() => [500, 2, 30]));
  });
});
