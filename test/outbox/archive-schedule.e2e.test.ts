import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readModelFreshness } from '../../src/read-models/checkpoints.js';
import { readModelNames } from '../../src/read-models/registry.js';
import { verifyReadModels } from '../../src/read-models/verify/run.js';
import { readOutboxId } from '../../src/relay/claim.js';
import { archiveScheduleId } from '../../src/temporal/archive-schedule.js';
import type { RebuildProgress } from '../../workflows/rebuild-read-model.js';
import { call } from '../support/http.js';
import { authorize, placeOrderFor } from '../support/orders.js';
import { eventually } from '../support/poll.js';
import { startTestRuntime, type TestRuntime } from '../support/test-runtime.js';

const HOUR = 3_600_000;
let app: TestRuntime;
beforeAll(async () => {
  // An hour apart: within the test only a trigger runs it.
  app = await startTestRuntime({ archiveIntervalMs: HOUR });
});
afterAll(async () => {
  await app?.stop();
});

async function count(table: 'outbox_events' | 'event_log', claimedOnly = false): Promise<number> {
  let query = app.db.selectFrom(table).select((eb) => eb.fn.countAll<string>().as('n'));
  if (claimedOnly) query = query.where('log_position', 'is not', null);
  return Number((await query.executeTakeFirstOrThrow()).n);
}

/** Every event claimed, every batch seen to complete, every read model at the head. */
async function settled(): Promise<void> {
  await eventually('every event applied by every read model', async () => {
    const open = await app.db.selectFrom('outbox_batches').select('id').where('completed_at', 'is', null).execute();
    if (open.length > 0 || (await count('outbox_events')) !== (await count('outbox_events', true))) return false;
    for (const model of readModelNames()) if ((await readModelFreshness(app.db, model)).lagEvents !== 0) return false;
    return true;
  }, 120_000);
}

async function placeNotedOrder(): Promise<string> {
  const { orderId, totalCents } = await placeOrderFor(app.url);
  await authorize(app.url, orderId, totalCents);
  await call(app.url, 'POST', `/orders/${orderId}/notes`, { body: { text: 'asked for gift wrap' }, role: 'support' });
  return orderId;
}

async function findings() {
  const run = await verifyReadModels({ db: app.db, search: app.search, searchIndexPrefix: app.searchIndexPrefix });
  return Object.fromEntries(run.results.filter((r) => r.findings.length > 0).map((r) => [r.name, r.findings]));
}

describe('the outbox archive schedule', () => {
  it('exists once the relay has started: archiveOutbox on the worker task queue, overlapping runs skipped', async () => {
    const schedule = await app.temporal.schedule.getHandle(archiveScheduleId(await readOutboxId(app.db))).describe();
    expect(schedule.action).toMatchObject({ type: 'startWorkflow', workflowType: 'archiveOutbox', taskQueue: app.config.taskQueue });
    expect(schedule.policies.overlap).toBe('SKIP');
    expect(schedule.spec.intervals?.[0]?.every).toBe(HOUR);
    expect(schedule.state.paused).toBe(false);
  });

  it('when triggered, moves every applied event out of the outbox, and rebuild and verify still see the whole log', async () => {
    const orders = [];
    for (let i = 0; i < 4; i++) orders.push(await placeNotedOrder());
    await settled();
    const logged = await count('outbox_events');
    expect(logged).toBe(12);

    await app.temporal.schedule.getHandle(archiveScheduleId(await readOutboxId(app.db))).trigger();
    await eventually('the applied events moved to event_log', async () => (await count('event_log')) === logged, 60_000);
    expect(await count('outbox_events')).toBe(0);

    // A later note must find the earlier ones (support search rebuilds the document from the log).
    await call(app.url, 'POST', `/orders/${orders[0]}/notes`, { body: { text: 'second call' }, role: 'support' });
    await settled();

    await app.db.deleteFrom('order_summary').where('order_id', 'in', orders.slice(0, 2)).execute();
    expect(Object.keys(await findings())).toEqual(['order-status']);
    const started = await call(app.url, 'POST', '/ops/read-models/order-status/rebuild', { role: 'operator' });
    expect(started.status).toBe(202);
    const result = await app.temporal.workflow.getHandle(started.body.workflowId as string).result() as RebuildProgress;
    expect(result).toMatchObject({ phase: 'done', applied: logged + 1 });
    await settled();
    expect(await findings()).toEqual({});
    for (const orderId of orders) expect((await call(app.url, 'GET', `/orders/${orderId}`)).body.status).toBe('authorized');
  }, 240_000);
});
