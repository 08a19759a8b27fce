/**
 * Stock arithmetic shared by decide() (to check) and the infrastructure (to apply the same
 * rule inside its transaction), so both agree on what "enough stock" means.
 */
import type { OrderLine } from './types.js';

export type Reservation = { ok: true; remaining: number } | { ok: false; available: number };

function assertPositiveQuantity(quantity: number): void {
  // A bad quantity here is a caller bug (decide validates first), not a stock shortage.
  if (!Number.isSafeInteger(quantity) || quantity <= 0) {
    throw new RangeError(`quantity must be a positive safe integer, got ${quantity}`);
  }
}

/** Treats a corrupt stock level (negative, fractional) as nothing available, never as credit. */
function usableStock(stock: number): number {
  return Number.isSafeInteger(stock) && stock > 0 ? stock : 0;
}

export function reserveStock(stock: number, quantity: number): Reservation {
  assertPositiveQuantity(quantity);
  const available = usableStock(stock);
  return quantity <= available ? { ok: true, remaining: available - quantity } : { ok: false, available };
}

export function releaseStock(stock: number, quantity: number): number {
  assertPositiveQuantity(quantity);
  const restored = usableStock(stock) + quantity;
  if (!Number.isSafeInteger(restored)) throw new RangeError('stock would exceed the safe integer range');
  return restored;
}

/** What a cancellation hands back: exactly the quantities the order reserved. */
export function releasedItemsOf(lines: readonly OrderLine[]): { sku: string; quantity: number }[] {
  return lines.map(({ sku, quantity }) => ({ sku, quantity }));
}
