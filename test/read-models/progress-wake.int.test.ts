import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProgressListener } from '../../src/read-models/progress/listener.js';
import { notifyProgress } from '../../src/read-models/progress/signal.js';
import { waitForVersion, type VersionedRow } from '../../src/read-models/progress/wait-for-version.js';
import { eventually } from '../support/poll.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

let database: TestDatabase;
let listener: ProgressListener;
beforeAll(async () => {
  database = await createTestDatabase();
  listener = new ProgressListener({ databaseUrl: database.url });
  await listener.start();
});
afterAll(async () => {
  await listener?.close();
  await database?.drop();
});

/** A row whose version the test moves, counting every read the wait makes. */
function countedRow(readModel: string, version: number | undefined) {
  const state = { version, reads: 0 };
  const target: VersionedRow<{ version: number }> = {
    readModel,
    orderId: randomUUID(),
    read: async () => {
      state.reads += 1;
      return state.version === undefined ? undefined : { version: state.version };
    },
    versionOf: (row) => row.version,
  };
  return { state, target };
}

/** Starts the clock before the work starts, so a deadline measured from inside is never undercounted. */
async function timed<T>(work: () => Promise<T>): Promise<T & { ms: number }> {
  const started = performance.now();
  const value = await work();
  return { ...value, ms: performance.now() - started };
}

describe('a read waiting for a version', () => {
  it('is woken by the progress notice of its order and reads once per wake, no polling', async () => {
    const { state, target } = countedRow('order-status', 1);
    const waiting = timed(() => waitForVersion(listener, target, { minVersion: 3, waitMs: 5_000 }));
    await eventually('first read made', async () => state.reads === 1);
    state.version = 2;
    await notifyProgress(database.db, 'order-status', [target.orderId]);
    await eventually('woken once', async () => state.reads === 2);
    state.version = 3;
    await notifyProgress(database.db, 'order-status', [randomUUID(), target.orderId]);
    const result = await waiting;
    expect(result.row).toEqual({ version: 3 });
    expect(result.stale).toBe(false);
    expect(state.reads).toBe(3);
    expect(result.ms).toBeLessThan(2_000);
  });

  it('sleeps through notices of other orders and other models, then answers stale at the deadline', async () => {
    const { state, target } = countedRow('order-status', 1);
    const waiting = timed(() => waitForVersion(listener, target, { minVersion: 2, waitMs: 400 }));
    await eventually('first read made', async () => state.reads === 1);
    await notifyProgress(database.db, 'order-status', [randomUUID()]);
    await notifyProgress(database.db, 'agent-timeline', [target.orderId]);
    const result = await waiting;
    expect(result).toMatchObject({ row: { version: 1 }, stale: true });
    expect(state.reads).toBe(2); // the first read and the one at the deadline
    expect(result.ms).toBeGreaterThanOrEqual(400);
  });

  it('is woken by a notice naming only the model (too many orders to list)', async () => {
    const { state, target } = countedRow('order-status', undefined);
    const waiting = timed(() => waitForVersion(listener, target, { waitMs: 5_000 }));
    await eventually('first read made', async () => state.reads === 1);
    state.version = 1;
    const many = Array.from({ length: 400 }, () => randomUUID());
    await notifyProgress(database.db, 'order-status', many);
    const result = await waiting;
    expect(result).toMatchObject({ row: { version: 1 }, stale: false });
    expect(result.ms).toBeLessThan(2_000);
  });

  it('keeps waking waiters after its connection was killed: it reconnects and re-reads', async () => {
    const killed = await sql<{ n: number }>`select count(pg_terminate_backend(pid))::int as n from pg_stat_activity
      where datname = current_database() and application_name = 'read-model-progress-listener'`.execute(database.db);
    expect(killed.rows[0]!.n).toBe(1);
    await eventually('listener reconnected', async () => listener.isListening);
    const { state, target } = countedRow('order-status', undefined);
    const waiting = waitForVersion(listener, target, { minVersion: 1, waitMs: 5_000 });
    await eventually('first read made', async () => state.reads === 1);
    state.version = 1;
    await notifyProgress(database.db, 'order-status', [target.orderId]);
    expect(await waiting).toMatchObject({ row: { version: 1 }, stale: false });
  });

  it('falls back to one read at the deadline when it cannot listen at all', async () => {
    const unreachable = new URL(database.url);
    unreachable.port = '1';
    const down = new ProgressListener({ databaseUrl: unreachable.toString() });
    try {
      const { state, target } = countedRow('order-status', undefined);
      const waiting = timed(() => waitForVersion(down, target, { minVersion: 1, waitMs: 300 }));
      await eventually('first read made', async () => state.reads === 1);
      state.version = 1; // projected, but no notice can arrive
      const result = await waiting;
      expect(result).toMatchObject({ row: { version: 1 }, stale: false });
      expect(state.reads).toBe(2);
      expect(result.ms).toBeGreaterThanOrEqual(300);
      expect(result.ms).toBeLessThan(1_500);
    } finally {
      await down.close();
    }
  });
});
