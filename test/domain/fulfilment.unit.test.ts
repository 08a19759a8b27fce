import { describe, expect, it } from 'vitest';
import { decide } from '../../src/domain/index.js';
import {
  at,
  authorize,
  authorized,
  cancel,
  cancelled,
  decline,
  delivered,
  expectAccepted,
  expectRejected,
  placed,
  refund,
  run,
  ship,
  shipmentStatus,
  shipped,
} from './fixtures.js';

describe('ShipOrder', () => {
  it('ships an authorized order', () => {
    const [event] = expectAccepted(decide(ship(2), authorized()));
    expect(event).toEqual({ type: 'OrderShipped', data: { orderId: 'order-1', at: at(2), carrier: 'UPS', trackingNumber: '1Z999' } });
    const state = shipped();
    expect(state.status).toBe('shipped');
    expect(state.shipment).toEqual({ carrier: 'UPS', trackingNumber: '1Z999', status: 'shipped' });
  });

  it.each([
    ['placed', placed],
    ['shipped', shipped],
    ['delivered', delivered],
    ['cancelled', cancelled],
  ] as const)('rejects shipping a %s order with its current status', (status, build) => {
    const error = expectRejected(decide(ship(9), build()), 'illegal_transition');
    expect(error.details).toMatchObject({ currentStatus: status, command: 'ShipOrder' });
  });

  it('rejects shipping after a declined payment', () => {
    expectRejected(decide(ship(9), run([decline(1)], placed())), 'illegal_transition');
  });
});

describe('RecordShipmentStatus', () => {
  it('in_transit updates the shipment but keeps the order shipped', () => {
    const [event] = expectAccepted(decide(shipmentStatus('in_transit'), shipped()));
    expect(event).toEqual({
      type: 'ShipmentStatusChanged',
      data: { orderId: 'order-1', at: at(3), from: 'shipped', status: 'in_transit' },
    });
    const state = run([shipmentStatus('in_transit')], shipped());
    expect(state.status).toBe('shipped');
    expect(state.shipment?.status).toBe('in_transit');
  });

  it.each(['delivered', 'lost'] as const)('%s is final for both shipment and order', (final) => {
    for (const path of [[], [shipmentStatus('in_transit', 3)]]) {
      const state = run([...path, shipmentStatus(final, 4)], shipped());
      expect(state.status).toBe(final);
      expect(state.shipment?.status).toBe(final);
    }
  });

  it('rejects repeating in_transit', () => {
    const state = run([shipmentStatus('in_transit')], shipped());
    const error = expectRejected(decide(shipmentStatus('in_transit', 4), state), 'illegal_transition');
    expect(error.details).toMatchObject({ currentStatus: 'shipped', command: 'RecordShipmentStatus', shipmentStatus: 'in_transit' });
  });

  it.each(['in_transit', 'delivered', 'lost'] as const)('rejects %s after delivery or loss', (next) => {
    for (const final of ['delivered', 'lost'] as const) {
      const state = run([shipmentStatus(final)], shipped());
      const error = expectRejected(decide(shipmentStatus(next, 5), state), 'illegal_transition');
      expect(error.details).toMatchObject({ currentStatus: final, command: 'RecordShipmentStatus' });
    }
  });

  it('rejects an update when nothing was shipped', () => {
    const error = expectRejected(decide(shipmentStatus('delivered'), authorized()), 'illegal_transition');
    expect(error.details).toMatchObject({ currentStatus: 'authorized', command: 'RecordShipmentStatus', shipmentStatus: null });
  });
});

describe('CancelOrder', () => {
  it('cancels a placed order, releasing every line and voiding nothing', () => {
    const [event] = expectAccepted(decide(cancel(2, 'changed_mind'), placed()));
    expect(event).toEqual({
      type: 'OrderCancelled',
      data: {
        orderId: 'order-1',
        at: at(2),
        reason: 'changed_mind',
        releasedItems: [
          { sku: 'SKU-MUG', quantity: 2 },
          { sku: 'SKU-TEE', quantity: 1 },
        ],
        paymentVoided: false,
      },
    });
    const state = run([cancel(2, 'changed_mind')], placed());
    expect(state.status).toBe('cancelled');
    expect(state.cancellationReason).toBe('changed_mind');
    expect(state.payment.state).toBe('pending');
  });

  it('cancels an authorized order and voids the authorization', () => {
    const [event] = expectAccepted(decide(cancel(), authorized()));
    expect(event).toMatchObject({ type: 'OrderCancelled', data: { paymentVoided: true } });
    const state = run([cancel()], authorized());
    expect(state.status).toBe('cancelled');
    expect(state.payment.state).toBe('voided');
  });

  it('cancels after a declined payment, keeping the decline on record', () => {
    const state = run([decline(1), cancel(2)], placed());
    expect(state.status).toBe('cancelled');
    expect(state.payment.state).toBe('declined');
  });

  it.each([
    ['shipped', shipped],
    ['delivered', delivered],
    ['cancelled', cancelled],
  ] as const)('rejects cancelling a %s order', (status, build) => {
    const error = expectRejected(decide(cancel(9), build()), 'illegal_transition');
    expect(error.details).toMatchObject({ currentStatus: status, command: 'CancelOrder' });
  });

  it('a cancelled order cannot be authorized, shipped or refunded', () => {
    const state = cancelled();
    for (const command of [authorize(5), ship(5), refund(1)]) {
      expect(expectRejected(decide(command, state), 'illegal_transition').details).toMatchObject({ currentStatus: 'cancelled' });
    }
  });
});
