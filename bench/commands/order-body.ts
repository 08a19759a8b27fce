import { randomInt, randomUUID } from 'node:crypto';

/**
 * One random order, drawn exactly as the pgbench script draws it: 1-3 items on consecutive
 * SKUs (mod the catalog size) from a random start, each quantity 1-3. Same contention
 * pattern on both sides of the comparison.
 */
export function randomOrderBody(skus: readonly string[]) {
  const count = randomInt(1, 4);
  const start = randomInt(0, skus.length);
  const items = Array.from({ length: count }, (_, k) => ({ sku: skus[(start + k) % skus.length]!, quantity: randomInt(1, 4) }));
  // Synthetic identities only; they are never printed.
  const n = randomUUID().slice(0, 8);
  return {
    customerId: `cust-${n}`,
    customer: { email: `buyer-${n}@example.com`, phone: '+14155550123', name: 'Bench Buyer' },
    region: 'eu-west',
    paymentProvider: 'stripe',
    currency: 'USD',
    items,
  };
}
