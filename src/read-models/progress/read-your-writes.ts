import { z } from 'zod';
import type { Db } from '../../db/database.js';
import type { Caller } from '../../http/auth.js';
import type { AppContext } from '../../http/context.js';
import { ProblemError } from '../../http/problem.js';
import { waitForVersion, type VersionedRow, type VersionWait } from './wait-for-version.js';

export const MAX_WAIT_MS = 5_000;
const MAX_VERSION = 2_147_483_647;

/** A whole number in a query string, refused (never clamped) when out of range. */
const wholeNumber = (min: number, max: number) => z
  .string()
  .regex(/^(0|[1-9]\d{0,15})$/, { error: `must be a whole number from ${min} to ${max}` })
  .transform(Number)
  .pipe(z.number().min(min, { error: `must be at least ${min}` }).max(max, { error: `must be at most ${max}` }));

/**
 * Query parameters of a single-order read that may wait for its own writes; spread them into
 * the route's strict query schema.
 */
export const readYourWritesFields = {
  minVersion: wholeNumber(1, MAX_VERSION).optional(),
  waitMs: wholeNumber(0, MAX_WAIT_MS).optional().transform((ms) => ms ?? 0),
};

export const readYourWritesQuery = z.strictObject(readYourWritesFields);

/** The 404 of an order id nobody may see: unknown, or another customer's for a bound token. */
export function orderNotFound(): ProblemError {
  return new ProblemError({
    status: 404,
    title: 'Order not found',
    detail: 'no such order in the read model; a just-placed order appears once it is projected',
  });
}

function notYetVisible(): ProblemError {
  return new ProblemError({
    status: 404,
    title: 'Not yet visible',
    type: 'not-yet-visible',
    detail: 'the order exists but this read model has not shown it yet; retry, or wait for it with waitMs',
    headers: { 'retry-after': '1' },
  });
}

/**
 * A customer-bound token gets the plain 404 either way: the write side is not asked, so
 * another customer's order is never looked up and the two cases cannot be told apart.
 */
async function missingRowProblem(db: Db, orderId: string, caller: Caller): Promise<ProblemError> {
  if (caller.customerId !== undefined) return orderNotFound();
  const known = await db.selectFrom('orders').select('id').where('id', '=', orderId).executeTakeFirst();
  return known ? notYetVisible() : orderNotFound();
}

/**
 * Read-your-writes for one order of one read model: waits (up to `waitMs`, woken by the
 * model's progress) until its row reaches `minVersion`, or exists when none is asked. An
 * older row comes back with `stale: true`; no row at all is a 404, `not-yet-visible` (with
 * Retry-After) when the write side knows the order.
 */
export async function readYourWrites<Row>(ctx: AppContext, caller: Caller, target: VersionedRow<Row>, wait: VersionWait): Promise<{ row: Row; stale: boolean }> {
  const { row, stale } = await waitForVersion(ctx.progress, target, wait);
  if (row === undefined) throw await missingRowProblem(ctx.db, target.orderId, caller);
  return { row, stale };
}

/** A freshness object saying, when the wait ended below `minVersion`, that it is stale. */
export function withStaleness<F extends object>(freshness: F, stale: boolean): F | (F & { stale: true }) {
  return stale ? { ...freshness, stale: true as const } : freshness;
}
