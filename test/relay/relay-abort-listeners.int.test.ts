import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/poll.js';
import { createRelayHarness, dispatchedBatchOf, insertEvent, type RelayHarness } from './relay-harness.js';

let harness: RelayHarness;
beforeAll(async () => {
  harness = await createRelayHarness();
});
afterAll(async () => {
  await harness?.close();
});

describe('a long-running relay', () => {
  it('dispatches many batches without piling abort listeners onto one signal (no MaxListenersExceededWarning)', async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    try {
      // One event per batch and a short slot: 15 batches, each waiting (and giving up) on its outcome.
      const relay = await harness.startRelay({ maxBatchSize: 1, slotTimeoutMs: 500 });
      for (let i = 0; i < 15; i++) await insertEvent(harness.db);

      await eventually('15 batches dispatched and their waits over', async () => {
        const row = await harness.db.selectFrom('outbox_batches').select((eb) => eb.fn.countAll<string>().as('n')).where('dispatched_at', 'is not', null).executeTakeFirstOrThrow();
        return Number(row.n) === 15 && relay.awaitedOutcomes === 0;
      }, 30_000);
      await relay.stop();

      expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning').map((w) => w.message)).toEqual([]);
    } finally {
      process.off('warning', onWarning);
    }
  });
});

describe('waiting for a batch outcome that does not come within the slot', () => {
  it('holds one long-poll open per batch, not a burst of polls as the slot ends', async () => {
    const before = harness.historyReads();
    // Nobody polls this task queue: each workflow stays open, and each wait ends with its slot.
    const relay = await harness.startRelay({ maxBatchSize: 1, slotTimeoutMs: 3_000 });
    const events = [await insertEvent(harness.db), await insertEvent(harness.db), await insertEvent(harness.db)];

    for (const eventId of events) await dispatchedBatchOf(harness.db, eventId, 30_000);
    await eventually('the waits of the 3 batches over', async () => relay.awaitedOutcomes === 0, 30_000);
    await relay.stop();

    // One long-poll per wait; a second one only if the server ended the first early.
    expect(harness.historyReads() - before).toBeLessThanOrEqual(3 * 2);
  });
});
