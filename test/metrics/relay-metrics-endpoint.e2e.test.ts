import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { eventually } from '../support/poll.js';
import { insertEvent } from '../relay/relay-harness.js';
import { startPart, stopParts, type PartProcess } from '../scale/part-process.js';
import { createTestDatabase, uniqueName, type TestDatabase } from '../support/test-database.js';

const OPERATOR = 'metrics-operator-token-0000';
const CLIENT = 'metrics-client-token-000000';

let database: TestDatabase;
let relay: PartProcess;
let metricsUrl: string;
const taskQueue = uniqueName('metrics');

beforeAll(async () => {
  database = await createTestDatabase();
  const { temporalAddress, opensearchUrl } = inject('stack');
  relay = startPart('relay', 'relay', {
    ...process.env, DATABASE_URL: database.url, TEMPORAL_ADDRESS: temporalAddress, OPENSEARCH_URL: opensearchUrl, TASK_QUEUE: taskQueue,
    API_TOKENS: `${OPERATOR}=operator,${CLIENT}=client`, HTTP_HOST: '127.0.0.1', METRICS_PORT: '0',
  });
  const served = await relay.waitForLine(/metrics served/, 90_000);
  metricsUrl = (JSON.parse(served.slice(served.indexOf('{'))) as { url: string }).url;
});

afterAll(async () => {
  if (relay) await stopParts([relay]);
  // No worker polls this task queue: the batch workflows the relay started stay open.
  const connection = await Connection.connect({ address: inject('stack').temporalAddress });
  const temporal = new Client({ connection });
  for await (const run of temporal.workflow.list({ query: `TaskQueue = '${taskQueue}' AND ExecutionStatus = 'Running'` })) {
    await temporal.workflow.getHandle(run.workflowId).terminate('test finished').catch(() => undefined);
  }
  await connection.close();
  await database?.drop();
});

const scrape = (token?: string) => fetch(metricsUrl, token ? { headers: { authorization: `Bearer ${token}` } } : {});

/** The value of one sample line, `name value`, in a Prometheus text exposition. */
function sample(text: string, name: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line ? Number(line.slice(name.length + 1)) : 0;
}

describe('a separately run relay with METRICS_PORT', () => {
  it('serves its own batch sizes and workflow starts on /metrics to operator tokens', async () => {
    for (let i = 0; i < 3; i++) await insertEvent(database.db);

    // The three events may be claimed in one batch or in several (each commit is seen when it
    // lands), and a batch is counted when claimed, a moment before its workflow starts. So wait
    // until every event is in a counted batch and every counted batch has been started.
    const text = await eventually('the relay counted and started every batch of the three events', async () => {
      const answer = await scrape(OPERATOR);
      const body = await answer.text();
      const settled = sample(body, 'cqrs_orders_relay_batch_events_sum') >= 3
        && sample(body, 'cqrs_orders_relay_workflow_starts_total') >= sample(body, 'cqrs_orders_relay_batch_events_count');
      return answer.status === 200 && settled ? body : undefined;
    }, 30_000);

    expect(sample(text, 'cqrs_orders_relay_batch_events_sum')).toBe(3);
    expect(sample(text, 'cqrs_orders_relay_batch_events_count')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'cqrs_orders_relay_workflow_starts_total')).toBe(sample(text, 'cqrs_orders_relay_batch_events_count'));
  });

  it('refuses scrapes without a token (401) or with a non-operator token (403), as problem+json', async () => {
    const anonymous = await scrape();
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('content-type')).toContain('application/problem+json');
    const client = await scrape(CLIENT);
    expect(client.status).toBe(403);
    expect(client.headers.get('content-type')).toContain('application/problem+json');
    expect(await client.text()).not.toContain('cqrs_orders');
  });
});
