import type { OrderState } from '../domain/index.js';
import type { StoredResponse } from '../idempotency/store.js';

export function etag(version: number): string {
  return `"${version}"`;
}

/**
 * The command's own answer is the first read-your-write: the confirmed order, straight from
 * the write model, with its version as the ETag for the next conditional command.
 */
export function orderCommandResponse(order: OrderState, status: 200 | 201, eventIds: string[]): StoredResponse {
  return {
    status,
    headers: { location: `/orders/${order.orderId}`, etag: etag(order.version), 'content-type': 'application/json; charset=utf-8' },
    body: {
      orderId: order.orderId,
      version: order.version,
      status: order.status,
      totalCents: order.totalCents,
      currency: order.currency,
      paymentState: order.payment.state,
      refundState: order.refund.state,
      refundedCents: order.refund.refundedCents,
      eventIds,
    },
  };
}
