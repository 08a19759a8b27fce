import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NotificationListener } from '../../src/relay/listener.js';
import { eventually } from '../support/poll.js';
import { createRelayHarness, dispatchedBatchOf, insertEvent, type RelayHarness } from './relay-harness.js';

let harness: RelayHarness;
beforeEach(async () => {
  harness = await createRelayHarness();
});
afterEach(async () => {
  await harness?.close();
});

/** Backends of this test's database that hold a LISTEN connection open. */
async function listeningBackends(): Promise<number[]> {
  const { rows } = await sql<{ pid: number }>`
    select pid from pg_stat_activity
    where datname = current_database() and application_name = 'outbox-relay-listener'`.execute(harness.db);
  return rows.map((r) => r.pid);
}

/** Sends NOTIFYs until the event is dispatched: only a live LISTEN connection can wake the relay. */
async function dispatchedByNotify(eventId: string): Promise<number> {
  return eventually('the event dispatched on NOTIFY', async () => {
    await sql`select pg_notify('outbox_events', '')`.execute(harness.db);
    const row = await harness.db.selectFrom('outbox_events').innerJoin('outbox_batches', 'outbox_batches.id', 'outbox_events.batch_id')
      .select('outbox_batches.dispatched_at').where('event_id', '=', eventId).executeTakeFirst();
    return row?.dispatched_at ? 1 : undefined;
  }, 15_000);
}

describe('relay housekeeping', () => {
  it('listens again after losing its LISTEN connection, so a NOTIFY wakes it well before the poll', async () => {
    const tenMinutes = 600_000;
    await harness.startRelay({ pollIntervalMs: tenMinutes, sweepIntervalMs: tenMinutes });
    await dispatchedByNotify(await insertEvent(harness.db));
    const [lost] = await listeningBackends();
    await sql`select pg_terminate_backend(${lost})`.execute(harness.db);

    await eventually('a new LISTEN connection', async () => {
      const pids = await listeningBackends();
      return pids.length === 1 && pids[0] !== lost;
    });
    expect(await dispatchedByNotify(await insertEvent(harness.db))).toBe(1);
    expect(harness.logs.map((l) => l.line)).toContain('relay listener reconnected');
  });

  it('closes its connection when LISTEN fails', async () => {
    const listener = new NotificationListener({
      databaseUrl: harness.database.url, channel: 'not a channel', onNotify: () => undefined, log: () => undefined,
    });
    await expect(listener.start()).rejects.toThrow(/syntax error/);
    expect(await eventually('no listener connection left', async () => (await listeningBackends()).length === 0)).toBe(true);
  });

  it('waits for the outcome of at most maxInFlight workflows, however many stay running', async () => {
    // No worker: every batch workflow stays running, as during a long store outage.
    const relay = await harness.startRelay({ maxInFlight: 1, slotTimeoutMs: 200 });
    let mostAwaited = 0;
    for (let i = 0; i < 4; i += 1) {
      await dispatchedBatchOf(harness.db, await insertEvent(harness.db));
      mostAwaited = Math.max(mostAwaited, relay.awaitedOutcomes);
    }
    const running = await harness.db.selectFrom('outbox_batches').select('id').where('dispatched_at', 'is not', null).execute();
    expect(running).toHaveLength(4);
    expect(mostAwaited).toBeLessThanOrEqual(1);
    expect(relay.awaitedOutcomes).toBeLessThanOrEqual(1);
  });
});
