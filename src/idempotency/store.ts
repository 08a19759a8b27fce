import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../db/schema.js';

export interface IdempotencyScope {
  /** Keys are scoped per caller: two clients may pick the same key. */
  caller: string;
  key: string;
  /** Fingerprint of the request (method, target, body, preconditions). */
  requestHash: string;
}

export interface StoredResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

export type Claim =
  | { kind: 'owner' }
  | { kind: 'replay'; response: StoredResponse }
  | { kind: 'mismatch' }
  | { kind: 'in_flight' };

export interface ClaimOptions {
  retentionMs: number;
  /** How long to wait for another transaction holding the same key before answering in_flight. */
  waitMs: number;
}

const LOCK_NOT_AVAILABLE = '55P03';

/*
 * The claim lives and dies with the command's own transaction: the key row is written by the
 * command's first statement and committed, completed, with its effect. There is no lease and
 * nothing to fence, because no claim outlives the transaction that may commit the effect.
 * Request A holds key K; request B comes with the same K:
 * - A still running, however long (a lock wait, a stalled connection): A's row is
 *   uncommitted, B's insert waits for A and gives up after `waitMs`: in_flight, 409. A key
 *   whose holder may still commit is never taken from it.
 * - A commits while B waits, or before B comes: B sees the completed row and replays it.
 * - A rolls back (an error, a deadlock, its process or connection died): A's row vanishes
 *   with it; B inserts the key and runs the command, once. A crashed holder's key is free as
 *   soon as PostgreSQL ends its session.
 * - A waits for a pool connection, so it has claimed nothing yet: B takes K and runs; A's
 *   claim then meets B's row like any later request (409, or B's response replayed).
 * - A deadlocked and is about to re-run: between its attempts K is free, as after any
 *   rollback; if B takes it, A's next attempt meets B's row instead of running again.
 * - A is refused (a business rule): the refusal is stored in A's transaction like a success.
 * - K's retention is over: B retakes the row with an update in its own transaction, which
 *   takes the row lock: a third request, or the purge, waits for B as for an insert.
 * Completion updates only the row this transaction wrote, so no attempt can touch another's.
 */
export async function claimKey(trx: Transaction<Database>, scope: IdempotencyScope, options: ClaimOptions): Promise<Claim> {
  await sql`select set_config('lock_timeout', ${`${options.waitMs}ms`}, true)`.execute(trx);
  const claimed = await insertClaim(trx, scope, options).catch((error: unknown) => {
    // The transaction is aborted now: the caller must roll it back, not carry on.
    if ((error as { code?: unknown }).code === LOCK_NOT_AVAILABLE) throw new KeyInFlight();
    throw error;
  });
  // Only the claim may give up waiting: the command's own lock waits are not bounded.
  await sql`reset lock_timeout`.execute(trx);
  return claimed ? { kind: 'owner' } : inspectExisting(trx, scope);
}

/** Another transaction holds the key and has not finished within the claim's wait. */
export class KeyInFlight extends Error {
  constructor() {
    super('another request with this Idempotency-Key is still running');
    this.name = 'KeyInFlight';
  }
}

async function insertClaim(trx: Transaction<Database>, scope: IdempotencyScope, options: ClaimOptions): Promise<boolean> {
  const expiresAt = sql<Date>`now() + ${options.retentionMs} * interval '1 millisecond'`;
  // locked_until no longer bounds anything (the transaction does); kept as the claim's start.
  const fresh = { request_hash: scope.requestHash, state: 'in_flight' as const, locked_until: sql<Date>`now()`, expires_at: expiresAt };
  const claimed = await trx
    .insertInto('idempotency_keys')
    .values({ caller: scope.caller, key: scope.key, ...fresh })
    .onConflict((oc) =>
      oc
        .columns(['caller', 'key'])
        .doUpdateSet({ ...fresh, response_status: null, response_headers: null, response_body: null, created_at: sql`now()` })
        .where('idempotency_keys.expires_at', '<', sql<Date>`now()`),
    )
    .returning('caller')
    .executeTakeFirst();
  return claimed !== undefined;
}

async function inspectExisting(trx: Transaction<Database>, scope: IdempotencyScope): Promise<Claim> {
  const row = await trx
    .selectFrom('idempotency_keys')
    .selectAll()
    .where('caller', '=', scope.caller)
    .where('key', '=', scope.key)
    .executeTakeFirst();
  // Purged between our insert and this read: rare; the caller may simply retry.
  if (!row) return { kind: 'in_flight' };
  if (row.request_hash !== scope.requestHash) return { kind: 'mismatch' };
  if (row.state === 'in_flight') return { kind: 'in_flight' };
  return {
    kind: 'replay',
    response: { status: row.response_status!, headers: (row.response_headers ?? {}) as Record<string, string>, body: row.response_body },
  };
}

/** Stores the final response, in the transaction that claimed the key and ran the command. */
export async function completeKey(trx: Transaction<Database>, scope: IdempotencyScope, response: StoredResponse): Promise<void> {
  const result = await trx
    .updateTable('idempotency_keys')
    .set({
      state: 'completed',
      response_status: response.status,
      response_headers: JSON.stringify(response.headers),
      response_body: JSON.stringify(response.body ?? null),
    })
    .where('caller', '=', scope.caller)
    .where('key', '=', scope.key)
    .where('state', '=', 'in_flight')
    .executeTakeFirst();
  if (result.numUpdatedRows !== 1n) throw new Error('idempotency key completed outside the transaction that claimed it');
}

export async function purgeExpiredKeys(db: Kysely<Database>): Promise<number> {
  const result = await db.deleteFrom('idempotency_keys').where('expires_at', '<', sql<Date>`now()`).executeTakeFirst();
  return Number(result.numDeletedRows);
}
