import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readStoreGauges } from '../../src/metrics/store-gauges.js';
import { BATCH_MEMO_KEY } from '../../src/relay/batch-identity.js';
import { markDispatched, workflowIdForBatch } from '../../src/relay/claim.js';
import { dispatchBatch } from '../../src/relay/dispatch.js';
import { eventually } from '../support/poll.js';
import { batchRow, claimAsDeadRelay, createRelayHarness, dispatchedBatchOf, insertEvent, outboxRow, type RelayHarness } from './relay-harness.js';

let harness: RelayHarness;
beforeEach(async () => {
  harness = await createRelayHarness();
});
afterEach(async () => {
  await harness?.close();
});

async function workflowMemo(workflowId: string) {
  return eventually(`workflow ${workflowId} started`, async () => {
    const run = await harness.temporal.workflow.getHandle(workflowId).describe().catch(() => undefined);
    return run?.memo;
  });
}

describe('the relay sweep', () => {
  it('dispatches a batch another relay claimed and never dispatched, while it keeps running', async () => {
    await harness.startRelay({ sweepIntervalMs: 200, sweepAgeMs: 500 });
    const orphan = await claimAsDeadRelay(harness);

    const dispatched = await eventually('the orphaned batch dispatched', async () =>
      (await batchRow(harness.db, orphan.batchId)).dispatched_at ?? undefined);

    expect(dispatched).toBeInstanceOf(Date);
    expect((await workflowMemo(orphan.workflowId))?.[BATCH_MEMO_KEY]).toMatchObject({ batchId: orphan.batchId, eventCount: 1 });
  });

  it('dispatches again a dispatched batch whose workflow Temporal does not know', async () => {
    await harness.startRelay({ sweepIntervalMs: 200, sweepAgeMs: 500 });
    const lost = await claimAsDeadRelay(harness);
    await markDispatched(harness.db, lost.batchId); // as if Temporal lost the run after the dispatch

    expect((await workflowMemo(lost.workflowId))?.[BATCH_MEMO_KEY]).toMatchObject({ batchId: lost.batchId });
    expect(harness.logs.map((l) => l.line)).toContain('batch workflow unknown to Temporal; dispatching it again');
  });

  it('records the completion of a batch whose workflow closed while nobody waited for it', async () => {
    const relay = await harness.startRelay({ sweepIntervalMs: 200, sweepAgeMs: 500, slotTimeoutMs: 100 });
    const batchId = await dispatchedBatchOf(harness.db, await insertEvent(harness.db));
    await eventually('the relay no longer waiting for the outcome', async () => relay.awaitedOutcomes === 0);
    await harness.temporal.workflow.getHandle(workflowIdForBatch(harness.outboxId, batchId)).terminate('closed by an operator');

    const completed = await eventually('completion recorded', async () => (await batchRow(harness.db, batchId)).completed_at ?? undefined);
    expect(completed).toBeInstanceOf(Date);
  });
});

describe('a workflow id taken by another batch', () => {
  it('fails loudly and leaves the batch undispatched, flagged for an operator', async () => {
    const batch = await claimAsDeadRelay(harness);
    // What a point-in-time restore leaves behind: the same batch number once carried other events.
    await dispatchBatch(harness.temporal, harness.taskQueue, { ...batch, events: [{ ...batch.events[0]!, eventId: outboxRow().event_id }] });

    await harness.startRelay();

    const flagged = await eventually('the batch flagged', async () => (await batchRow(harness.db, batch.batchId)).dispatch_error ?? undefined);
    expect(flagged).toContain(batch.workflowId);
    expect((await batchRow(harness.db, batch.batchId)).dispatched_at).toBeNull();
    expect(harness.logs.map((l) => l.line)).toContain('batch not dispatched: its workflow id belongs to another batch');
  });
});

describe('a batch whose workflow Temporal refuses to start', () => {
  it('is flagged with the server\'s reason, and the relay goes on with the batches after it', async () => {
    // 250 orders in one commit, claimed as one batch: their OrderIds (about 10 KB) exceed the
    // search attribute value limit (2 KB by default, 8 KB on the project's dev server).
    const rows = Array.from({ length: 250 }, () => outboxRow());
    await harness.db.insertInto('outbox_events').values(rows).execute();
    await harness.startRelay({ maxOrdersPerBatch: 250, sweepIntervalMs: 200, sweepAgeMs: 500 });

    const big = await eventually('the big batch claimed', async () =>
      (await harness.db.selectFrom('outbox_events').select('batch_id').where('event_id', '=', rows[0]!.event_id).executeTakeFirst())?.batch_id ?? undefined);
    const flagged = await eventually('the big batch flagged', async () => (await batchRow(harness.db, big)).dispatch_error ?? undefined);
    expect(flagged).toMatch(/^Temporal refused to start the batch workflow: .*OrderIds value size \d+ exceeds size limit \d+/);
    expect((await batchRow(harness.db, big)).dispatched_at).toBeNull();
    expect(harness.logs.map((l) => l.line)).toContain('batch not dispatched: Temporal refused its start');
    // What /metrics shows an operator: one batch waiting for them.
    const gauges = await readStoreGauges(harness.db, []);
    expect((await gauges.getSingleMetric('cqrs_orders_outbox_flagged_batches')!.get()).values).toEqual([expect.objectContaining({ value: 1 })]);

    // Not a stall: a later event is claimed and dispatched, and sweeps leave the flagged batch alone.
    const later = await dispatchedBatchOf(harness.db, await insertEvent(harness.db));
    expect(later).not.toBe(big);
    expect(harness.logs.map((l) => l.line)).not.toContain('relay iteration failed; retrying');
  });
});

describe('outbox rows restored from another cluster', () => {
  it('re-stamps a row whose transaction id lies ahead of this server, so it is dispatched', async () => {
    const row = outboxRow();
    await sql`insert into outbox_events (event_id, tx_id, aggregate_type, aggregate_id, aggregate_version, event_type, payload, occurred_at)
      values (${row.event_id}, (pg_current_xact_id()::text::bigint + 1000000000)::text::xid8, ${row.aggregate_type},
        ${row.aggregate_id}, 1, ${row.event_type}, ${row.payload}::jsonb, now())`.execute(harness.db);

    await harness.startRelay();

    await dispatchedBatchOf(harness.db, row.event_id);
    expect(harness.logs.find((l) => l.line.includes('re-stamped'))?.fields).toEqual({ rows: 1 });
  });
});
