import { sql, type Kysely } from 'kysely';
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
  /** How long an in-flight claim is honoured before it counts as abandoned by a crash. */
  leaseMs: number;
}

/**
 * Claims a key for this request. The claim commits on its own, before the command runs, so
 * a second request with the same key sees it at once (409 while in flight) rather than
 * waiting behind the first one's transaction.
 */
export async function claimKey(db: Kysely<Database>, scope: IdempotencyScope, options: ClaimOptions): Promise<Claim> {
  const lockedUntil = sql<Date>`now() + ${options.leaseMs} * interval '1 millisecond'`;
  const expiresAt = sql<Date>`now() + ${options.retentionMs} * interval '1 millisecond'`;
  const claimed = await db
    .insertInto('idempotency_keys')
    .values({ ...scopeColumns(scope), state: 'in_flight', locked_until: lockedUntil, expires_at: expiresAt })
    .onConflict((oc) =>
      oc
        .columns(['caller', 'key'])
        .doUpdateSet({
          request_hash: scope.requestHash,
          state: 'in_flight',
          response_status: null,
          response_headers: null,
          response_body: null,
          locked_until: lockedUntil,
          expires_at: expiresAt,
          created_at: sql`now()`,
        })
        // Retake only an expired key, or an abandoned claim for the very same request.
        .where((eb) =>
          eb.or([
            eb('idempotency_keys.expires_at', '<', sql<Date>`now()`),
            eb.and([
              eb('idempotency_keys.state', '=', 'in_flight'),
              eb('idempotency_keys.locked_until', '<', sql<Date>`now()`),
              eb('idempotency_keys.request_hash', '=', scope.requestHash),
            ]),
          ]),
        ),
    )
    .returning('caller')
    .executeTakeFirst();
  if (claimed) return { kind: 'owner' };
  return inspectExisting(db, scope);
}

async function inspectExisting(db: Kysely<Database>, scope: IdempotencyScope): Promise<Claim> {
  const row = await db
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

function scopeColumns(scope: IdempotencyScope) {
  return { caller: scope.caller, key: scope.key, request_hash: scope.requestHash };
}

/** Stores the final response; called in the command's own transaction when it succeeds. */
export async function completeKey(db: Kysely<Database>, scope: IdempotencyScope, response: StoredResponse): Promise<void> {
  await db
    .updateTable('idempotency_keys')
    .set({
      state: 'completed',
      response_status: response.status,
      response_headers: JSON.stringify(response.headers),
      response_body: JSON.stringify(response.body ?? null),
    })
    .where('caller', '=', scope.caller)
    .where('key', '=', scope.key)
    .execute();
}

/** Gives the key back after an unexpected failure, so that a retry can run the command. */
export async function releaseKey(db: Kysely<Database>, scope: IdempotencyScope): Promise<void> {
  await db
    .deleteFrom('idempotency_keys')
    .where('caller', '=', scope.caller)
    .where('key', '=', scope.key)
    .where('state', '=', 'in_flight')
    .execute();
}

export async function purgeExpiredKeys(db: Kysely<Database>): Promise<number> {
  const result = await db.deleteFrom('idempotency_keys').where('expires_at', '<', sql<Date>`now()`).executeTakeFirst();
  return Number(result.numDeletedRows);
}
