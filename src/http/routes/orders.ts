import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { placeOrder } from '../../commands/place-order.js';
import type { AppContext } from '../context.js';
import { runCommand } from '../command-handler.js';
import { orderCommandResponse } from '../order-response.js';
import { requireOwnCustomer } from '../ownership.js';
import { placeOrderBody } from '../schemas.js';

export function registerPlaceOrder(app: FastifyInstance, ctx: AppContext): void {
  app.post('/orders', async (request, reply) => {
    const caller = ctx.authorize(request, ['client']);
    const body = placeOrderBody.parse(request.body);
    requireOwnCustomer(caller, body.customerId);
    return runCommand(ctx, request, reply, caller, async (trx) => {
      const at = ctx.clock().toISOString();
      const { order, events } = await placeOrder(trx, { ...body, orderId: randomUUID(), at });
      return orderCommandResponse(order, 201, events.map((e) => e.eventId));
    });
  });
}
