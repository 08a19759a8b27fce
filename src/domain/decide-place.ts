/** PlaceOrder: the only command decided without prior state. */
import type { Catalog, OrderItem, PlaceOrder } from './commands.js';
import { accept, reject, type Decision } from './errors.js';
import type { OrderPlaced } from './events.js';
import { reserveStock } from './inventory.js';
import { mergeItems, priceItems } from './pricing.js';
import { SUPPORTED_CURRENCIES, isCurrency, type OrderLine } from './types.js';

/** Per line, after merging: bounds a basket typo (10000 instead of 10) before it hits stock. */
export const MAX_LINE_QUANTITY = 1000;

function isValidQuantity(quantity: number): boolean {
  return Number.isSafeInteger(quantity) && quantity >= 1 && quantity <= MAX_LINE_QUANTITY;
}

function checkQuantities(items: readonly OrderItem[]): Decision | null {
  const bad = items.find((item) => !isValidQuantity(item.quantity));
  if (bad === undefined) return null;
  return reject('invalid_quantity', `quantity for sku ${bad.sku} must be an integer from 1 to ${MAX_LINE_QUANTITY}`, {
    sku: bad.sku,
    quantity: bad.quantity,
    max: MAX_LINE_QUANTITY,
  });
}

function checkStock(items: readonly OrderItem[], catalog: Catalog): Decision | null {
  for (const item of items) {
    const reservation = reserveStock(catalog[item.sku]?.stock ?? 0, item.quantity);
    if (!reservation.ok) {
      return reject('insufficient_stock', `insufficient stock for sku ${item.sku}`, {
        sku: item.sku,
        requested: item.quantity,
        available: reservation.available,
      });
    }
  }
  return null;
}

function orderPlaced(command: PlaceOrder, lines: OrderLine[], totalCents: number): OrderPlaced {
  const { orderId, customerId, customer, region, paymentProvider, currency, at } = command;
  return {
    type: 'OrderPlaced',
    data: { orderId, at, customerId, customer: { ...customer }, region, paymentProvider, currency, lines, totalCents },
  };
}

export function decidePlaceOrder(command: PlaceOrder): Decision {
  // The type says Currency, but commands arrive from the network: re-check at the boundary.
  if (!isCurrency(command.currency)) {
    return reject('currency_mismatch', `currency ${String(command.currency)} is not supported`, {
      orderCurrency: command.currency,
      supported: SUPPORTED_CURRENCIES,
    });
  }
  if (command.items.length === 0) return reject('empty_order', 'an order needs at least one item', {});
  const merged = mergeItems(command.items);
  const invalid = checkQuantities(command.items) ?? checkQuantities(merged);
  if (invalid !== null) return invalid;
  const priced = priceItems(merged, command.catalog, command.currency);
  if (!priced.ok) return priced;
  const shortage = checkStock(merged, command.catalog);
  if (shortage !== null) return shortage;
  return accept(orderPlaced(command, priced.lines, priced.totalCents));
}
