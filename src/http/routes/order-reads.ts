import type { FastifyInstance } from 'fastify';
import type { OrderSummaryRow } from '../../db/schema.js';
import type { AppContext } from '../context.js';
import { etag } from '../order-response.js';
import { visibleTo } from '../ownership.js';
import { notModified } from '../preconditions.js';
import { ProblemError } from '../problem.js';
import { defineRoute } from '../routing/define-route.js';
import { orderIdParams } from '../schemas.js';

/** Every read says how fresh it is: which write it reflects and how long it took to get here. */
export function summaryFreshness(row: OrderSummaryRow) {
  return {
    sourceVersion: row.source_version,
    lastEventId: row.last_event_id,
    lastEventAt: row.last_event_at.toISOString(),
    projectedAt: row.projected_at.toISOString(),
    lagMs: row.projected_at.getTime() - row.last_event_at.getTime(),
  };
}

export function registerOrderReads(app: FastifyInstance, ctx: AppContext): void {
  defineRoute(app, {
    method: 'GET', url: '/orders/:id', roles: ['client', 'support', 'operator'], params: orderIdParams,
    headers: { 'if-none-match': 'optional' },
    summary: 'Read an order from the order_summary read model, with its freshness',
    responses: {
      200: { description: 'The order as projected', headers: ['etag'] },
      304: { description: 'If-None-Match matched the current version', headers: ['etag'] },
      404: { description: 'No such order in the read model (yet)', problemTypes: ['order-not-found'] },
    },
  }, async ({ caller, params: { id } }, request, reply) => {
    const row = await ctx.db
      .selectFrom('order_summary').selectAll().where('order_id', '=', id)
      .$call((query) => visibleTo(query, caller))
      .executeTakeFirst();
    if (!row) {
      throw new ProblemError({
        status: 404,
        title: 'Order not found',
        detail: 'no such order in the read model; a just-placed order appears once it is projected',
      });
    }
    reply.header('etag', etag(row.source_version));
    if (notModified(request, row.source_version)) return reply.code(304).send();
    return {
      orderId: row.order_id,
      customerId: row.customer_id,
      status: row.status,
      paymentState: row.payment_state,
      refundState: row.refund_state,
      totalCents: row.total_cents,
      refundedCents: row.refunded_cents,
      currency: row.currency,
      region: row.region,
      paymentProvider: row.payment_provider,
      itemCount: row.item_count,
      placedAt: row.placed_at.toISOString(),
      freshness: summaryFreshness(row),
    };
  });
}
