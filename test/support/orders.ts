import { createProduct, orderBody } from './fixtures.js';
import { call, type HttpResult } from './http.js';

/** Places an order for one product at `priceCents` and returns its id and total. */
export async function placeOrderFor(baseUrl: string, options: { priceCents?: number; quantity?: number; stock?: number } = {}) {
  const sku = await createProduct(baseUrl, { priceCents: options.priceCents ?? 5_000, stock: options.stock ?? 100 });
  const placed = await call(baseUrl, 'POST', '/orders', { body: orderBody([{ sku, quantity: options.quantity ?? 2 }]) });
  if (placed.status !== 201) throw new Error(`place order failed: ${placed.status} ${JSON.stringify(placed.body)}`);
  return { orderId: placed.body.orderId as string, totalCents: placed.body.totalCents as number, sku };
}

export async function authorize(baseUrl: string, orderId: string, amountCents: number): Promise<HttpResult> {
  return call(baseUrl, 'POST', `/orders/${orderId}/payment-authorizations`, {
    body: { provider: 'stripe', reference: `pi_${orderId.slice(0, 8)}`, amountCents },
  });
}

export function expectProblem(response: HttpResult, status: number): void {
  if (response.status !== status || !response.headers.get('content-type')?.includes('application/problem+json')) {
    throw new Error(`expected a ${status} problem, got ${response.status} ${response.headers.get('content-type')}: ${JSON.stringify(response.body)}`);
  }
}
