/**
 * decide(): the single write-path rule book. Given a command and the current state (null when
 * the order does not exist yet) it returns the events to append or a domain error. Pure: the
 * same inputs always give the same decision, so a retry after a version conflict is safe.
 */
import type { OrderCommand } from './commands.js';
import { decideAddNote, decideFlagRisk, decideOpenDispute, decideResolveDispute } from './decide-aftercare.js';
import { decideCancelOrder, decideRecordShipmentStatus, decideShipOrder } from './decide-fulfilment.js';
import { decideAuthorizePayment, decideIssueRefund } from './decide-payment.js';
import { decidePlaceOrder } from './decide-place.js';
import { assertNever, reject, type Decision } from './errors.js';
import type { OrderState } from './types.js';

function withState<C extends OrderCommand>(
  command: C,
  state: OrderState | null,
  decideExisting: (command: C, state: OrderState) => Decision,
): Decision {
  if (state === null) return reject('order_not_found', `${command.type} needs an existing order`, { command: command.type });
  return decideExisting(command, state);
}

export function decide(command: OrderCommand, state: OrderState | null): Decision {
  switch (command.type) {
    case 'PlaceOrder':
      if (state !== null) return reject('order_exists', `order ${state.orderId} already exists`, { orderId: state.orderId });
      return decidePlaceOrder(command);
    case 'AuthorizePayment':
      return withState(command, state, decideAuthorizePayment);
    case 'ShipOrder':
      return withState(command, state, decideShipOrder);
    case 'RecordShipmentStatus':
      return withState(command, state, decideRecordShipmentStatus);
    case 'CancelOrder':
      return withState(command, state, decideCancelOrder);
    case 'IssueRefund':
      return withState(command, state, decideIssueRefund);
    case 'AddNote':
      return withState(command, state, decideAddNote);
    case 'OpenDispute':
      return withState(command, state, decideOpenDispute);
    case 'ResolveDispute':
      return withState(command, state, decideResolveDispute);
    case 'FlagRisk':
      return withState(command, state, decideFlagRisk);
    default:
      return assertNever(command);
  }
}
