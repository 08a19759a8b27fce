import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimKey, completeKey, KeyInFlight, type IdempotencyScope } from '../../src/idempotency/store.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.drop();
});

const options = { retentionMs: 3_600_000, waitMs: 100 };
const scope = (requestHash = 'hash-a'): IdempotencyScope => ({ caller: 'client:test', key: randomUUID(), requestHash });
const response = { status: 201, headers: { location: '/orders/1' }, body: { orderId: '1' } };

/** A claim held by a transaction on its own connection, left open until the test ends it. */
async function holdClaim(key: IdempotencyScope) {
  let end!: (outcome: 'commit' | 'rollback' | 'die') => void;
  const ended = new Promise<'commit' | 'rollback' | 'die'>((resolve) => (end = resolve));
  const done = database.db.transaction().execute(async (trx) => {
    expect(await claimKey(trx, key, options)).toEqual({ kind: 'owner' });
    const outcome = await ended;
    if (outcome === 'rollback') throw new Error('the command failed');
    // As if its process crashed: the server ends the session, and with it the transaction.
    if (outcome === 'die') await sql`select pg_terminate_backend(pg_backend_pid())`.execute(trx);
    await completeKey(trx, key, response);
  }).catch(() => undefined);
  return { end: async (outcome: 'commit' | 'rollback' | 'die') => (end(outcome), await done) };
}

function claimAlone(key: IdempotencyScope) {
  return database.db.transaction().execute((trx) => claimKey(trx, key, options));
}

describe('claiming an Idempotency-Key inside the command transaction', () => {
  it('answers in flight while the holder may still commit, then replays what it committed', async () => {
    const key = scope();
    const holder = await holdClaim(key);
    await expect(claimAlone(key)).rejects.toBeInstanceOf(KeyInFlight);
    await holder.end('commit');
    expect(await claimAlone(key)).toEqual({ kind: 'replay', response });
  });

  it('gives the key to the next request when the holder rolls back', async () => {
    const key = scope();
    const holder = await holdClaim(key);
    await holder.end('rollback');
    expect(await claimAlone(key)).toEqual({ kind: 'owner' });
  });

  it("gives the key to the next request when the holder's session dies mid-command", async () => {
    const key = scope();
    const holder = await holdClaim(key);
    await holder.end('die');
    expect(await claimAlone(key)).toEqual({ kind: 'owner' });
  });

  it('tells a different request under a used key apart', async () => {
    const key = scope('hash-a');
    const holder = await holdClaim(key);
    await holder.end('commit');
    expect(await claimAlone({ ...key, requestHash: 'hash-b' })).toEqual({ kind: 'mismatch' });
  });

  it("never lets the claim's wait bound the command's own lock waits", async () => {
    const key = scope();
    const setting = await database.db.transaction().execute(async (trx) => {
      await claimKey(trx, key, options);
      return (await sql<{ lock_timeout: string }>`show lock_timeout`.execute(trx)).rows[0]!.lock_timeout;
    });
    expect(setting).toBe('0');
  });
});
