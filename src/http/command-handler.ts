import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Transaction } from 'kysely';
import { CommandRejected } from '../commands/errors.js';
import type { Db } from '../db/database.js';
import type { Database } from '../db/schema.js';
import { requestFingerprint } from '../idempotency/fingerprint.js';
import { claimKey, completeKey, releaseKey, type IdempotencyScope, type StoredResponse } from '../idempotency/store.js';
import type { Caller } from './auth.js';
import { ProblemError } from './problem.js';
import { rejectionProblem } from './rejections.js';

export interface CommandContext {
  db: Db;
  idempotencyRetentionMs: number;
}

const IN_FLIGHT_LEASE_MS = 60_000;
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

/**
 * The command pipeline: claim the Idempotency-Key, run the command and store its response in
 * the command's own transaction, or replay what an earlier identical request got.
 */
export async function runCommand(
  ctx: CommandContext,
  request: FastifyRequest,
  reply: FastifyReply,
  caller: Caller,
  execute: (trx: Transaction<Database>) => Promise<StoredResponse>,
): Promise<FastifyReply> {
  const scope = idempotencyScope(request, caller);
  const claim = await claimKey(ctx.db, scope, { retentionMs: ctx.idempotencyRetentionMs, leaseMs: IN_FLIGHT_LEASE_MS });
  if (claim.kind === 'replay') return send(reply, claim.response, true);
  if (claim.kind === 'mismatch') {
    throw new ProblemError({ status: 422, title: 'Idempotency-Key reused', detail: 'this Idempotency-Key was already used for a different request' });
  }
  if (claim.kind === 'in_flight') {
    throw new ProblemError({ status: 409, title: 'Request in progress', detail: 'a request with this Idempotency-Key is still being processed', headers: { 'retry-after': '1' } });
  }
  try {
    const response = await ctx.db.transaction().execute(async (trx) => {
      const result = await execute(trx);
      await completeKey(trx, scope, result);
      return result;
    });
    return send(reply, response, false);
  } catch (error) {
    if (error instanceof CommandRejected) {
      // A refusal is the command's final answer: a retry with the same key gets the same one.
      const response = problemResponse(rejectionProblem(error));
      await completeKey(ctx.db, scope, response);
      return send(reply, response, false);
    }
    await releaseKey(ctx.db, scope).catch(() => undefined);
    throw error;
  }
}
