import type http from 'node:http';
import { send } from './http.js';

/** The most stock the API accepts: the bench must never run out. */
const STOCK = 1_000_000_000;

export function benchSkus(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `BENCH-${i}`);
}

/** Creates the catalog through the API itself (operator role), as an operator would. */
export async function createProducts(baseUrl: string, agent: http.Agent, operatorToken: string, skus: readonly string[]): Promise<void> {
  for (const [i, sku] of skus.entries()) {
    const answer = await send(baseUrl, agent, {
      method: 'PUT',
      path: `/products/${sku}`,
      token: operatorToken,
      body: { name: `Bench product ${i}`, priceCents: 1_000 + 250 * i, currency: 'USD', stock: STOCK },
    });
    if (answer.status !== 201 && answer.status !== 200) throw new Error(`PUT /products/${sku} answered ${answer.status}`);
  }
}
