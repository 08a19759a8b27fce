import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../http/context.js';
import { etag } from '../../http/order-response.js';
import { notModified } from '../../http/preconditions.js';
import { defineRoute } from '../../http/routing/define-route.js';
import { orderIdParams } from '../../http/schemas.js';
import { readYourWrites, readYourWritesQuery, withStaleness } from '../progress/read-your-writes.js';
import { ORDER_STATUS } from './projection.js';
import { findOrderSummary, orderStatusView } from './queries.js';

export function register(app: FastifyInstance, ctx: AppContext): void {
  defineRoute(app, {
    method: 'GET', url: '/orders/:id', roles: ['client', 'support', 'operator'], params: orderIdParams, query: readYourWritesQuery,
    headers: { 'if-none-match': 'optional' },
    summary: 'Read an order from the order-status read model, with its freshness',
    description: 'With `minVersion` and `waitMs` (at most 5000), waits until the order reaches that version; '
      + 'past `waitMs` it answers what it has with `freshness.stale: true`.',
    responses: {
      200: { description: 'The order as projected', headers: ['etag'] },
      304: { description: 'If-None-Match matched the current version', headers: ['etag'] },
      404: {
        description: 'No such order; `not-yet-visible` (with Retry-After) when the order exists but is not projected yet',
        problemTypes: ['order-not-found', 'not-yet-visible'],
      },
    },
  }, async ({ caller, params: { id }, query }, request, reply) => {
    const { row, stale } = await readYourWrites(ctx, caller, {
      readModel: ORDER_STATUS, orderId: id, read: () => findOrderSummary(ctx.db, id, caller), versionOf: (r) => r.source_version,
    }, query);
    reply.header('etag', etag(row.source_version));
    if (notModified(request, row.source_version)) return reply.code(304).send();
    const view = orderStatusView(row);
    return { ...view, freshness: withStaleness(view.freshness, stale) };
  });
}
