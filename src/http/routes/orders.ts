import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { placeOrder } from '../../commands/place-order.js';
import type { AppContext } from '../context.js';
import { runCommand } from '../command-handler.js';
import { orderCommandResponse } from '../order-response.js';
import { requireOwnCustomer } from '../ownership.js';
import { rejectionResponses } from '../rejection-responses.js';
import { defineRoute } from '../routing/define-route.js';
import { placeOrderBody } from '../schemas.js';

export function registerPlaceOrder(app: FastifyInstance, ctx: AppContext): void {
  defineRoute(app, {
    method: 'POST', url: '/orders', roles: ['client'], body: placeOrderBody,
    summary: 'Place an order: prices it, reserves stock, records OrderPlaced',
    headers: { 'idempotency-key': 'required' },
    responses: {
      201: { description: 'The placed order, from the write model', headers: ['etag', 'location', 'idempotent-replayed'] },
      403: { description: 'A customer-bound token placing an order for another customer', problemTypes: ['customer-mismatch'] },
      ...rejectionResponses(['unknown_sku', 'currency_mismatch', 'invalid_quantity', 'empty_order', 'insufficient_stock', 'order_exists']),
    },
  }, async ({ caller, body }, request, reply) => {
    requireOwnCustomer(caller, body.customerId);
    return runCommand(ctx, request, reply, caller, async (trx) => {
      const at = ctx.clock().toISOString();
      const { order, events } = await placeOrder(trx, { ...body, orderId: randomUUID(), at });
      return orderCommandResponse(order, 201, events.map((e) => e.eventId));
    });
  });
}
