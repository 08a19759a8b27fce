import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { OrderEventType, OrderState, OrderStatus } from '../../../src/domain/index.js';
import type { StoredOrderEvent } from '../../../src/outbox/envelope.js';
import { BucketDeltas, minuteCounts, nextPosition, type OrderPosition } from '../../../src/read-models/ops-dashboard/counting.js';

const ORDER = '00000000-0000-4000-8000-000000000001';
const T0 = Date.parse('2026-11-28T10:00:00Z');

/** One order's history: placed, declined, paid, flagged, shipped, in transit, delivered, noted. */
const HISTORY: Array<[OrderEventType, OrderStatus]> = [
  ['OrderPlaced', 'placed'], ['PaymentDeclined', 'placed'], ['PaymentAuthorized', 'authorized'], ['RiskFlagged', 'authorized'],
  ['OrderShipped', 'shipped'], ['ShipmentStatusChanged', 'shipped'], ['ShipmentStatusChanged', 'delivered'], ['NoteAdded', 'delivered'],
];

function event(version: number): StoredOrderEvent {
  const [type, status] = HISTORY[version - 1]!;
  const order = { orderId: ORDER, status, region: 'eu', paymentProvider: 'adyen', version } as OrderState;
  return {
    position: version, eventId: `e${version}`, aggregateId: ORDER, aggregateVersion: version, type,
    occurredAt: new Date(T0 + version * 61_000), payload: { event: { orderId: ORDER, at: '' }, order } as StoredOrderEvent['payload'],
  };
}

const all = HISTORY.map((_, i) => event(i + 1));

function deliverInBatches(batches: StoredOrderEvent[][]): OrderPosition | undefined {
  let position: OrderPosition | undefined;
  for (const batch of batches) if (batch.length > 0) position = nextPosition(position, batch);
  return position;
}

describe('nextPosition', () => {
  it('counts the order in its newest status, since the event that entered it', () => {
    expect(nextPosition(undefined, all)).toMatchObject({ status: 'delivered', version: 8, statusSinceVersion: 7, statusSince: all[6]!.occurredAt });
  });

  it('ends where in-order delivery ends, whatever the order and batching of first deliveries', () => {
    const inOrder = deliverInBatches(all.map((e) => [e]));
    fc.assert(fc.property(
      fc.shuffledSubarray(all, { minLength: all.length, maxLength: all.length }),
      fc.array(fc.integer({ min: 0, max: all.length }), { maxLength: 4 }),
      (shuffled, cuts) => {
        const edges = [0, ...[...cuts].sort((a, b) => a - b), all.length];
        const batches = edges.slice(1).map((end, i) => shuffled.slice(edges[i], end));
        expect(deliverInBatches(batches)).toEqual(inOrder);
      },
    ));
  });

  it('does not move an order back when an older event arrives late, but learns when its status began', () => {
    const afterFlag = nextPosition(undefined, [all[3]!]);
    const late = nextPosition(afterFlag, [all[0]!, all[2]!]);

    expect(afterFlag).toMatchObject({ status: 'authorized', version: 4, statusSinceVersion: 4 });
    expect(late).toMatchObject({ status: 'authorized', version: 4, statusSinceVersion: 3, statusSince: all[2]!.occurredAt });
  });
});

describe('BucketDeltas', () => {
  it('moves an order out of its old bucket into the new one, and drops changes that cancel out', () => {
    const placed = nextPosition(undefined, [all[0]!]);
    const paid = nextPosition(placed, [all[2]!]);
    const deltas = new BucketDeltas();
    deltas.move(undefined, placed);
    deltas.move(placed, paid);
    deltas.move(paid, nextPosition(paid, [all[3]!]));

    expect(deltas.changes()).toEqual([{ status: 'authorized', region: 'eu', paymentProvider: 'adyen', delta: 1 }]);
  });
});

describe('minuteCounts', () => {
  it('counts placed, paid, shipped, cancelled and refunded events in the minute they occurred', () => {
    expect(minuteCounts(all).filter((m) => m.placed + m.paid + m.shipped > 0)).toEqual([
      { minute: '2026-11-28T10:01:00.000Z', region: 'eu', paymentProvider: 'adyen', placed: 1, paid: 0, shipped: 0, cancelled: 0, refunded: 0 },
      { minute: '2026-11-28T10:03:00.000Z', region: 'eu', paymentProvider: 'adyen', placed: 0, paid: 1, shipped: 0, cancelled: 0, refunded: 0 },
      { minute: '2026-11-28T10:05:00.000Z', region: 'eu', paymentProvider: 'adyen', placed: 0, paid: 0, shipped: 1, cancelled: 0, refunded: 0 },
    ]);
    expect(minuteCounts(all)).toHaveLength(3);
  });
});
