import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../http/context.js';
import { etag } from '../../http/order-response.js';
import { notModified } from '../../http/preconditions.js';
import { ProblemError } from '../../http/problem.js';
import { defineRoute } from '../../http/routing/define-route.js';
import { orderIdParams } from '../../http/schemas.js';
import { findOrderSummary, orderStatusView } from './queries.js';

export function register(app: FastifyInstance, ctx: AppContext): void {
  defineRoute(app, {
    method: 'GET', url: '/orders/:id', roles: ['client', 'support', 'operator'], params: orderIdParams,
    headers: { 'if-none-match': 'optional' },
    summary: 'Read an order from the order-status read model, with its freshness',
    responses: {
      200: { description: 'The order as projected', headers: ['etag'] },
      304: { description: 'If-None-Match matched the current version', headers: ['etag'] },
      404: { description: 'No such order in the read model (yet)', problemTypes: ['order-not-found'] },
    },
  }, async ({ caller, params: { id } }, request, reply) => {
    const row = await findOrderSummary(ctx.db, id, caller);
    if (!row) {
      throw new ProblemError({
        status: 404,
        title: 'Order not found',
        detail: 'no such order in the read model; a just-placed order appears once it is projected',
      });
    }
    reply.header('etag', etag(row.source_version));
    if (notModified(request, row.source_version)) return reply.code(304).send();
    return orderStatusView(row);
  });
}
