import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { executeOrderCommand } from '../../src/commands/execute.js';
import type { Db } from '../../src/db/database.js';
import { placeOrderFor } from '../support/orders.js';
import { eventually } from '../support/poll.js';
import { claimedBatches, runInput } from './batch-runs.js';
import { FaultScenario } from './harness.js';
import { driveOrders, EVENTS_PER_ORDER } from './load.js';
import { between, scenarioSeeds, seededRandom } from './seeds.js';
import { expectConverged, expectOneWorkflowPerBatch } from './expectations.js';

const HOLD_DEADLINE_MS = 120_000;

interface HeldCommand {
  eventId: string;
  position: number;
  txId: string;
  /** Events with a later sequence position that had committed when this transaction committed. */
  committedPastIt: number;
  /** Events of later transactions the relay had claimed by then: claiming one would skip this event for good. */
  claimedPastIt: number;
}

/** Events of transactions that began writing after `txId`, already claimed into a batch. */
async function claimedAfterTransaction(db: Db, txId: string): Promise<number> {
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from outbox_events where tx_id > ${txId}::xid8 and batch_id is not null`.execute(db);
  return rows[0]!.n;
}

async function eventCount(db: Db, pastPosition = 0): Promise<number> {
  const row = await db.selectFrom('outbox_events').select((eb) => eb.fn.countAll().as('n')).where('position', '>', pastPosition).executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * A command through the app's own write path (lock, decide, save, append to the outbox) whose
 * transaction stays open after its event took a sequence position, while the load commits
 * events behind it; it commits once `releaseAfter` of them have (or the load has ended).
 */
async function holdOpenCommand(scenario: FaultScenario, orderId: string, plan: { startAfter: number; releaseAfter: number }, loadDone: () => boolean): Promise<HeldCommand> {
  await eventually('the load under way', async () => (await eventCount(scenario.db)) >= plan.startAfter || loadDone(), HOLD_DEADLINE_MS);
  return scenario.db.transaction().execute(async (trx) => {
    const note = { type: 'AddNote' as const, at: new Date().toISOString(), noteId: randomUUID(), text: 'written while the load runs', author: 'support-fault' };
    const { events: [appended] } = await executeOrderCommand(trx, orderId, note, undefined);
    const { position, tx_id: txId } = await trx.selectFrom('outbox_events').select(['position', 'tx_id']).where('event_id', '=', appended!.eventId).executeTakeFirstOrThrow();
    // Counted from the pool, i.e. another session: only committed rows are visible there.
    const committedPastIt = await eventually('events committed past the open transaction', async () => {
      const past = await eventCount(scenario.db, position);
      return past >= plan.releaseAfter || loadDone() ? past : undefined;
    }, HOLD_DEADLINE_MS);
    return { eventId: appended!.eventId, position, txId, committedPastIt, claimedPastIt: await claimedAfterTransaction(scenario.db, txId) };
  });
}

/** Each event id in exactly one batch workflow's input, read from Temporal. */
async function deliveredEventIds(scenario: FaultScenario): Promise<string[]> {
  const inputs = await Promise.all((await claimedBatches(scenario)).map((batch) => runInput(scenario, batch.workflowId)));
  return inputs.flatMap((input) => input.events.map((event) => event.eventId)).sort();
}

describe('6. outbox rows commit out of sequence order under load', () => {
  for (const seed of scenarioSeeds()) {
    it(`seed ${seed}: none is skipped, each is claimed once and applied in every model`, async () => {
      const random = seededRandom(seed);
      const scenario = await FaultScenario.create('6-commits-out-of-sequence', seed);
      await scenario.run(async () => {
        await Promise.all([scenario.start('api'), scenario.start('relay'), scenario.start('worker')]);
        const holds = between(random, 2, 4);
        const heldOrders = await Promise.all(Array.from({ length: holds }, () => placeOrderFor(scenario.apiUrl)));
        const orders = between(random, 6, 10);
        let loadDone = false;
        const load = driveOrders(scenario.apiUrl, random, orders).finally(() => (loadDone = true));
        // The seed decides when each transaction takes its position and how many commit past it.
        const plans = heldOrders.map(() => ({ startAfter: holds + between(random, 1, 12), releaseAfter: between(random, 3, 16) }));
        const held = await Promise.all(heldOrders.map((order, i) => holdOpenCommand(scenario, order.orderId, plans[i]!, () => loadDone)));
        const healedAt = Date.now();
        const tally = await load;
        const report = await scenario.converge(healedAt, { orders, holds, plans, committedPastHeld: held.map((h) => h.committedPastIt), claimedPastHeld: held.map((h) => h.claimedPastIt), clientRetries: tally.retries });

        // The fault was real: later positions committed while each held one was still open.
        for (const h of held) expect(h.committedPastIt).toBeGreaterThan(0);
        expect(report.eventsCommitted).toBe(orders * EVENTS_PER_ORDER + holds * 2);
        const events = await scenario.db.selectFrom('outbox_events').select(['event_id', 'position', 'log_position', 'batch_id']).orderBy('log_position').execute();
        expect(events.map((e) => e.log_position)).toEqual(events.map((_, i) => i + 1));
        expect(await deliveredEventIds(scenario)).toEqual(events.map((e) => e.event_id).sort());
        // The relay waited for each open transaction: nothing written after it was claimed before it committed,
        // and in the log it comes before every event of a later transaction.
        for (const h of held) {
          expect(h.claimedPastIt).toBe(0);
          const { rows } = await sql<{ misplaced: number }>`select count(*)::int as misplaced from outbox_events e, outbox_events own
            where own.event_id = ${h.eventId} and e.tx_id > own.tx_id and e.log_position < own.log_position`.execute(scenario.db);
          expect(rows[0]!.misplaced).toBe(0);
        }
        expectConverged(report);
        await expectOneWorkflowPerBatch(scenario);
      });
    });
  }
});
