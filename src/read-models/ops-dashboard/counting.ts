import type { OrderEventType } from '../../domain/index.js';
import type { StoredOrderEvent } from '../../outbox/envelope.js';

/** Where one order is counted, and since when it has been in its status. */
export interface OrderPosition {
  orderId: string;
  status: string;
  region: string;
  paymentProvider: string;
  statusSince: Date;
  /** Version of the event `statusSince` comes from: the earliest applied one in this status. */
  statusSinceVersion: number;
  version: number;
}

export const MINUTE_COUNTERS = ['placed', 'paid', 'shipped', 'cancelled', 'refunded'] as const;
export type MinuteCounter = (typeof MINUTE_COUNTERS)[number];

/** The events counted per minute, and the counter each one adds to. */
const COUNTED_EVENTS: Partial<Record<OrderEventType, MinuteCounter>> = {
  OrderPlaced: 'placed',
  PaymentAuthorized: 'paid',
  OrderShipped: 'shipped',
  OrderCancelled: 'cancelled',
  RefundIssued: 'refunded',
};

export function counterOf(type: OrderEventType): MinuteCounter | undefined {
  return COUNTED_EVENTS[type];
}

/** Plain code-point order: the same in every batch, so concurrent batches lock rows in one order. */
export function byKey(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function newest(events: readonly StoredOrderEvent[]): StoredOrderEvent {
  return events.reduce((a, b) => (b.aggregateVersion > a.aggregateVersion ? b : a));
}

/**
 * The order's position after first-delivered events of it (any subset, any order), given
 * what its row held. The newest version wins the status (a version guard). Statuses only
 * move forward, so an order's events in one status are consecutive versions and the earliest
 * of them is the event that entered it: `statusSince` converges to that event's time
 * whatever order the events arrive in.
 */
export function nextPosition(current: OrderPosition | undefined, events: readonly StoredOrderEvent[]): OrderPosition {
  const top = newest(events);
  const moves = current === undefined || top.aggregateVersion > current.version;
  const order = top.payload.order;
  const base = moves
    ? { orderId: order.orderId, status: order.status, region: order.region, paymentProvider: order.paymentProvider, version: top.aggregateVersion }
    : current;
  let since = current !== undefined && current.status === base.status
    ? { at: current.statusSince, version: current.statusSinceVersion }
    : undefined;
  for (const event of events) {
    if (event.payload.order.status !== base.status) continue;
    if (since === undefined || event.aggregateVersion < since.version) since = { at: event.occurredAt, version: event.aggregateVersion };
  }
  // `top` itself is in `base.status` whenever the status moved, so `since` is always found.
  return { ...base, statusSince: since!.at, statusSinceVersion: since!.version };
}

export function samePosition(a: OrderPosition, b: OrderPosition): boolean {
  return a.status === b.status && a.region === b.region && a.paymentProvider === b.paymentProvider &&
    a.version === b.version && a.statusSinceVersion === b.statusSinceVersion && a.statusSince.getTime() === b.statusSince.getTime();
}

export interface BucketKey {
  status: string;
  region: string;
  paymentProvider: string;
}

export const bucketKey = (b: BucketKey): string => JSON.stringify([b.status, b.region, b.paymentProvider]);

/** Bucket count changes: +1 where an order now is, -1 where it was; keys that net to zero are dropped. */
export class BucketDeltas {
  private readonly deltas = new Map<string, BucketKey & { delta: number }>();

  move(from: OrderPosition | undefined, to: OrderPosition): void {
    if (from) this.add(from, -1);
    this.add(to, +1);
  }

  private add(key: BucketKey, delta: number): void {
    const id = bucketKey(key);
    const row = this.deltas.get(id) ?? { status: key.status, region: key.region, paymentProvider: key.paymentProvider, delta: 0 };
    row.delta += delta;
    this.deltas.set(id, row);
  }

  /** Sorted by bucket key: the lock order every batch uses. */
  changes(): Array<BucketKey & { delta: number }> {
    return [...this.deltas.entries()].filter(([, r]) => r.delta !== 0).sort(([a], [b]) => byKey(a, b)).map(([, r]) => r);
  }
}

export interface MinuteCounts extends Record<MinuteCounter, number> {
  /** ISO 8601, truncated to the minute (UTC). */
  minute: string;
  region: string;
  paymentProvider: string;
}

export function minuteOf(at: Date): string {
  return new Date(Math.floor(at.getTime() / 60_000) * 60_000).toISOString();
}

/** Per minute, region and provider, how many of each counted event; sorted by key (the lock order). */
export function minuteCounts(events: readonly StoredOrderEvent[]): MinuteCounts[] {
  const rows = new Map<string, MinuteCounts>();
  for (const event of events) {
    const counter = counterOf(event.type);
    if (!counter) continue;
    const { region, paymentProvider } = event.payload.order;
    const minute = minuteOf(event.occurredAt);
    const id = JSON.stringify([minute, region, paymentProvider]);
    const row = rows.get(id) ?? { minute, region, paymentProvider, placed: 0, paid: 0, shipped: 0, cancelled: 0, refunded: 0 };
    row[counter] += 1;
    rows.set(id, row);
  }
  return [...rows.entries()].sort(([a], [b]) => byKey(a, b)).map(([, r]) => r);
}
