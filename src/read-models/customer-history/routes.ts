import type { FastifyInstance } from 'fastify';
import type { Caller } from '../../http/auth.js';
import type { AppContext } from '../../http/context.js';
import { ProblemError } from '../../http/problem.js';
import { defineRoute } from '../../http/routing/define-route.js';
import { readModelFreshness } from '../checkpoints.js';
import type { HistoryCursor } from './cursor.js';
import { CUSTOMER_HISTORY } from './projection.js';
import { historyItem, historyPage } from './queries.js';
import { customerHistoryQuery, customerParams } from './request.js';

/**
 * A customer-bound token asking for another customer gets the answer a customer that does
 * not exist would give it, whether or not that customer has orders: their rows are never read.
 */
function refuseOtherCustomer(caller: Caller, customerId: string): void {
  if (caller.customerId === undefined || caller.customerId === customerId) return;
  throw new ProblemError({ status: 404, title: 'Customer not found', detail: 'no such customer for this token' });
}

function refuseForeignCursor(cursor: HistoryCursor | undefined, customerId: string): void {
  if (cursor === undefined || cursor.customerId === customerId) return;
  throw new ProblemError({
    status: 400, title: 'Validation Failed', type: 'validation-failed',
    detail: 'cursor: continues another customer\'s history',
    extensions: { errors: [{ field: 'cursor', detail: 'continues another customer\'s history' }] },
  });
}

export function register(app: FastifyInstance, ctx: AppContext): void {
  defineRoute(app, {
    method: 'GET', url: '/customers/:customerId/orders', roles: ['client', 'support', 'operator'],
    params: customerParams, query: customerHistoryQuery,
    summary: 'A customer\'s orders, newest first, in pages (customer-history read model)',
    description: 'Pass `nextCursor` as `cursor` for the next page. The answer carries the read model\'s checkpoint; each order its own freshness.',
    responses: {
      200: { description: 'One page of orders; an unknown customer has none' },
      404: { description: 'A customer-bound token asked for another customer', problemTypes: ['customer-not-found'] },
    },
  }, async ({ caller, params: { customerId }, query }) => {
    refuseOtherCustomer(caller, customerId);
    refuseForeignCursor(query.cursor, customerId);
    const [page, freshness] = await Promise.all([
      historyPage(ctx.db, customerId, query.limit, query.cursor),
      readModelFreshness(ctx.db, CUSTOMER_HISTORY, ctx.clock()),
    ]);
    return { items: page.rows.map(historyItem), nextCursor: page.nextCursor, freshness };
  });
}
