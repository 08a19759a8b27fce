/**
 * Turns requested items into priced order lines. Every multiplication and sum is checked to
 * stay a safe integer: beyond 2^53 a `number` silently rounds, and rounded money is wrong money.
 */
import type { Catalog, OrderItem } from './commands.js';
import type { DomainError } from './errors.js';
import type { Currency, OrderLine } from './types.js';

export type PricingResult = { ok: true; lines: OrderLine[]; totalCents: number } | { ok: false; error: DomainError };

export function isSafeMoney(cents: number): boolean {
  return Number.isSafeInteger(cents) && cents >= 0;
}

/**
 * Repeated SKUs become one line with the summed quantity, in first-appearance order: a
 * basket that lists a SKU twice means "this many in total", and the write model keys
 * order items by (order, sku).
 */
export function mergeItems(items: readonly OrderItem[]): OrderItem[] {
  const quantities = new Map<string, number>();
  for (const { sku, quantity } of items) quantities.set(sku, (quantities.get(sku) ?? 0) + quantity);
  return [...quantities].map(([sku, quantity]) => ({ sku, quantity }));
}

function failure(code: DomainError['code'], message: string, details: Record<string, unknown>): PricingResult {
  return { ok: false, error: { code, message, details } };
}

function priceLine(item: OrderItem, catalog: Catalog, currency: Currency): OrderLine | PricingResult {
  // hasOwn: a SKU such as "constructor" must not resolve to an inherited property.
  const product = Object.hasOwn(catalog, item.sku) ? catalog[item.sku] : undefined;
  if (product === undefined) return failure('unknown_sku', `unknown sku ${item.sku}`, { sku: item.sku });
  if (product.currency !== currency) {
    return failure('currency_mismatch', `sku ${item.sku} is priced in ${product.currency}, order is in ${currency}`, {
      sku: item.sku,
      productCurrency: product.currency,
      orderCurrency: currency,
    });
  }
  if (!isSafeMoney(product.priceCents)) {
    return failure('invalid_amount', `sku ${item.sku} has an invalid price`, { sku: item.sku, priceCents: product.priceCents });
  }
  const lineTotalCents = product.priceCents * item.quantity;
  if (!Number.isSafeInteger(lineTotalCents)) {
    return failure('invalid_amount', `line total for sku ${item.sku} is too large`, { sku: item.sku });
  }
  return { sku: item.sku, name: product.name, quantity: item.quantity, unitPriceCents: product.priceCents, lineTotalCents };
}

/** Prices already-merged, quantity-validated items; stock is checked separately (inventory.ts). */
export function priceItems(items: readonly OrderItem[], catalog: Catalog, currency: Currency): PricingResult {
  const lines: OrderLine[] = [];
  let totalCents = 0;
  for (const item of items) {
    const line = priceLine(item, catalog, currency);
    if ('ok' in line) return line;
    totalCents += line.lineTotalCents;
    if (!Number.isSafeInteger(totalCents)) {
      return failure('invalid_amount', 'order total is too large', { maxCents: Number.MAX_SAFE_INTEGER });
    }
    lines.push(line);
  }
  return { ok: true, lines, totalCents };
}
