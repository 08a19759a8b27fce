/** The fulfilment lifecycle: shipping, carrier updates and cancellation. */
import type { CancelOrder, RecordShipmentStatus, ShipOrder } from './commands.js';
import { accept, illegalTransition, notAllowedBecause, type Decision } from './errors.js';
import { releasedItemsOf } from './inventory.js';
import { upheldDisputeOf } from './refundable.js';
import type { OrderState, ShipmentStatus } from './types.js';

/**
 * Carrier updates move forward only. Repeating in_transit is rejected rather than ignored:
 * an accepted command always emits an event, and a duplicate carrier ping is the caller's
 * to deduplicate (the HTTP layer's idempotency keys), not a new fact.
 */
const NEXT_SHIPMENT_STATUSES: Record<ShipmentStatus, readonly ShipmentStatus[]> = {
  shipped: ['in_transit', 'delivered', 'lost'],
  in_transit: ['delivered', 'lost'],
  delivered: [],
  lost: [],
};

/** Paid once is not paid still: goods whose whole price went back to the customer stay home. */
function paymentReturnedRefusal(command: ShipOrder, state: OrderState): Decision | null {
  if (state.refund.state === 'full') {
    return notAllowedBecause(command.type, state.status, 'the whole amount was refunded; cancel the order instead', {
      refundState: 'full',
      refundedCents: state.refund.refundedCents,
    });
  }
  const upheld = upheldDisputeOf(state);
  if (upheld === undefined) return null;
  return notAllowedBecause(command.type, state.status, `dispute ${upheld.disputeId} was upheld, so the payment went back to the customer`, {
    disputeId: upheld.disputeId,
    disputeOutcome: 'upheld',
  });
}

export function decideShipOrder(command: ShipOrder, state: OrderState): Decision {
  // Never ship goods that are not paid for.
  if (state.status !== 'authorized') return illegalTransition(command.type, state.status);
  const returned = paymentReturnedRefusal(command, state);
  if (returned !== null) return returned;
  const { at, carrier, trackingNumber } = command;
  return accept({ type: 'OrderShipped', data: { orderId: state.orderId, at, carrier, trackingNumber } });
}

export function decideRecordShipmentStatus(command: RecordShipmentStatus, state: OrderState): Decision {
  const { shipment } = state;
  if (shipment === null || !NEXT_SHIPMENT_STATUSES[shipment.status].includes(command.status)) {
    return illegalTransition(command.type, state.status, {
      shipmentStatus: shipment?.status ?? null,
      requestedStatus: command.status,
    });
  }
  return accept({
    type: 'ShipmentStatusChanged',
    data: { orderId: state.orderId, at: command.at, from: shipment.status, status: command.status },
  });
}

export function decideCancelOrder(command: CancelOrder, state: OrderState): Decision {
  // Once goods left the warehouse, stock cannot be released: that is a return, not a cancel.
  if (state.status !== 'placed' && state.status !== 'authorized') {
    return illegalTransition(command.type, state.status);
  }
  return accept({
    type: 'OrderCancelled',
    data: {
      orderId: state.orderId,
      at: command.at,
      reason: command.reason,
      releasedItems: releasedItemsOf(state.lines),
      paymentVoided: state.payment.state === 'authorized',
    },
  });
}
