import type { FastifyReply, FastifyRequest } from 'fastify';
import { sql, type Transaction } from 'kysely';
import { CommandRejected } from '../commands/errors.js';
import type { Db } from '../db/database.js';
import type { Database } from '../db/schema.js';
import { isTransientConflict, retryTransientConflicts } from '../db/transient-conflicts.js';
import { requestFingerprint } from '../idempotency/fingerprint.js';
import { claimKey, completeKey, KeyInFlight, type Claim, type IdempotencyScope, type StoredResponse } from '../idempotency/store.js';
import type { Caller } from './auth.js';
import { ProblemError } from './problem.js';
import { rejectionProblem } from './rejections.js';

export interface CommandContext {
  db: Db;
  idempotencyRetentionMs: number;
}

/**
 * How long a request waits for another one holding the same key to finish (and then replays
 * its response) before answering 409: long enough for a command that is about to commit.
 */
const CLAIM_WAIT_MS = 200;
// A bare key or a structured-field string ("..."), of visible ASCII.
const KEY_PATTERN = /^"?([\x21\x23-\x7e]{1,255})"?$/;

function idempotencyScope(request: FastifyRequest, caller: Caller): IdempotencyScope {
  const header = request.headers['idempotency-key'];
  if (header === undefined) {
    throw new ProblemError({ status: 400, title: 'Idempotency-Key required', detail: 'commands need an Idempotency-Key header' });
  }
  const match = typeof header === 'string' ? KEY_PATTERN.exec(header) : null;
  if (!match) {
    throw new ProblemError({ status: 400, title: 'Invalid Idempotency-Key', detail: 'Idempotency-Key must be 1-255 visible ASCII characters' });
  }
  const target = request.url.split('?')[0]!;
  const ifMatch = request.headers['if-match'];
  const requestHash = requestFingerprint({ method: request.method, target, body: request.body ?? null, ifMatch });
  return { caller: caller.id, key: match[1]!, requestHash };
}

function send(reply: FastifyReply, response: StoredResponse, replayed: boolean): FastifyReply {
  reply.code(response.status).headers(response.headers);
  if (replayed) reply.header('idempotent-replayed', 'true');
  // Serialized here so the stored content type goes out exactly as stored, first time and replay alike.
  return reply.send(JSON.stringify(response.body));
}

function problemResponse(problem: ProblemError): StoredResponse {
  return { status: problem.status, headers: { 'content-type': 'application/problem+json', ...problem.headers }, body: problem.toJSON() };
}

type Execute = (trx: Transaction<Database>) => Promise<StoredResponse>;
type Outcome = Exclude<Claim, { kind: 'owner' }> | { kind: 'done'; response: StoredResponse };

/**
 * One attempt, one transaction: claim the key, run the command, store its response. The key
 * commits with the effect or not at all (see claimKey for every interleaving), so a re-run
 * after a deadlock starts from a clean slate.
 */
function attempt(ctx: CommandContext, scope: IdempotencyScope, execute: Execute): Promise<Outcome> {
  return ctx.db.transaction().execute(async (trx) => {
    const claim = await claimKey(trx, scope, { retentionMs: ctx.idempotencyRetentionMs, waitMs: CLAIM_WAIT_MS });
    if (claim.kind !== 'owner') return claim;
    const response = await executeOrRefuse(trx, execute);
    await completeKey(trx, scope, response);
    return { kind: 'done', response };
  });
}

/** A refusal is the command's final answer: a retry with the same key gets the same one. */
async function executeOrRefuse(trx: Transaction<Database>, execute: Execute): Promise<StoredResponse> {
  await sql`savepoint command`.execute(trx);
  try {
    return await execute(trx);
  } catch (error) {
    if (!(error instanceof CommandRejected)) throw error;
    // Undo whatever the command wrote before it said no; the key's claim stays.
    await sql`rollback to savepoint command`.execute(trx);
    return problemResponse(rejectionProblem(error));
  }
}

const inFlight = () =>
  new ProblemError({ status: 409, title: 'Request in progress', detail: 'a request with this Idempotency-Key is still being processed', headers: { 'retry-after': '1' } });

/** Lost every re-run to deadlocks or serialization failures: nothing happened, try again soon. */
const contended = () =>
  new ProblemError({ status: 503, title: 'Too much contention', detail: 'the command met conflicting concurrent commands; nothing was changed, retry shortly', headers: { 'retry-after': '1' } });

function failureProblem(error: unknown): unknown {
  if (error instanceof KeyInFlight) return inFlight();
  if (isTransientConflict(error)) return contended();
  return error;
}

/**
 * The command pipeline: claim the Idempotency-Key, run the command and store its response in
 * one transaction, re-run whole on a deadlock or serialization failure; or replay what an
 * earlier identical request got.
 */
export async function runCommand(
  ctx: CommandContext,
  request: FastifyRequest,
  reply: FastifyReply,
  caller: Caller,
  execute: Execute,
): Promise<FastifyReply> {
  const scope = idempotencyScope(request, caller);
  const outcome = await retryTransientConflicts(() => attempt(ctx, scope, execute)).catch((error: unknown) => {
    throw failureProblem(error);
  });
  switch (outcome.kind) {
    case 'done':
      return send(reply, outcome.response, false);
    case 'replay':
      return send(reply, outcome.response, true);
    case 'mismatch':
      throw new ProblemError({ status: 422, title: 'Idempotency-Key reused', detail: 'this Idempotency-Key was already used for a different request' });
    case 'in_flight':
      throw inFlight();
  }
}
