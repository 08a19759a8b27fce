import { randomUUID } from 'node:crypto';
import { call } from './http.js';

export interface ProductSpec {
  sku?: string;
  priceCents?: number;
  stock?: number;
  currency?: string;
}

export async function createProduct(baseUrl: string, spec: ProductSpec = {}): Promise<string> {
  const sku = spec.sku ?? `SKU-${randomUUID().slice(0, 8).toUpperCase()}`;
  const response = await call(baseUrl, 'PUT', `/products/${sku}`, {
    role: 'operator',
    body: { name: `Product ${sku}`, priceCents: spec.priceCents ?? 1250, currency: spec.currency ?? 'USD', stock: spec.stock ?? 100 },
  });
  if (response.status >= 300) throw new Error(`could not create product: ${response.status} ${JSON.stringify(response.body)}`);
  return sku;
}

export function orderBody(skus: Array<{ sku: string; quantity?: number }>, overrides: Record<string, unknown> = {}) {
  const n = randomUUID().slice(0, 8);
  return {
    customerId: `cust-${n}`,
    customer: { email: `buyer-${n}@example.com`, phone: '+14155550123', name: 'Ada Lovelace' },
    region: 'eu-west',
    paymentProvider: 'stripe',
    currency: 'USD',
    items: skus.map(({ sku, quantity }) => ({ sku, quantity: quantity ?? 1 })),
    ...overrides,
  };
}
