import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../http/context.js';
import { etag } from '../../http/order-response.js';
import { ProblemError } from '../../http/problem.js';
import { orderIdParams } from '../../http/schemas.js';
import { findOrderSummary, orderStatusView } from './queries.js';

export function register(app: FastifyInstance, ctx: AppContext): void {
  app.get('/orders/:id', async (request, reply) => {
    ctx.authorize(request, ['client', 'support', 'operator']);
    const { id } = orderIdParams.parse(request.params);
    const row = await findOrderSummary(ctx.db, id);
    if (!row) {
      throw new ProblemError({
        status: 404,
        title: 'Order not found',
        detail: 'no such order in the read model; a just-placed order appears once it is projected',
      });
    }
    reply.header('etag', etag(row.source_version));
    return orderStatusView(row);
  });
}
