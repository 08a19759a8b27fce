import type { OrderEvent } from '../../domain/index.js';
import type { StoredOrderEvent } from '../../outbox/envelope.js';

/**
 * One line of an order's timeline: the event's version and type, when it happened, who did
 * it where the event knows (a note's author), and what an agent needs to read it.
 */
export interface TimelineEntry {
  version: number;
  type: OrderEvent['type'];
  at: string;
  actor?: string;
  [field: string]: unknown;
}

/**
 * What each event shows. Listed per type rather than copied wholesale, so contact data
 * (the customer's email, phone and name on OrderPlaced) never reaches the timeline, and a
 * field added to an event later is a decision here, not a leak.
 */
function fieldsOf(event: OrderEvent): Record<string, unknown> {
  switch (event.type) {
    case 'OrderPlaced': {
      const { customerId, region, paymentProvider, currency, lines, totalCents } = event.data;
      return { customerId, region, paymentProvider, currency, lines, totalCents };
    }
    case 'PaymentAuthorized':
      return pick(event.data, ['provider', 'reference', 'amountCents']);
    case 'PaymentDeclined':
      return pick(event.data, ['provider', 'reference', 'amountCents', 'reason', 'declineCount']);
    case 'OrderShipped':
      return pick(event.data, ['carrier', 'trackingNumber']);
    case 'ShipmentStatusChanged':
      return pick(event.data, ['from', 'status']);
    case 'OrderCancelled':
      return pick(event.data, ['reason', 'releasedItems', 'paymentVoided']);
    case 'RefundIssued':
      return pick(event.data, ['refundId', 'amountCents', 'reason', 'refundedCents', 'refundState']);
    case 'NoteAdded':
      return { actor: event.data.author, ...pick(event.data, ['noteId', 'text']) };
    case 'DisputeOpened':
      return pick(event.data, ['disputeId', 'reason']);
    case 'DisputeResolved':
      return pick(event.data, ['disputeId', 'outcome', 'comment']);
    case 'RiskFlagged':
      return pick(event.data, ['flag', 'reason']);
    default:
      return unknownEvent(event);
  }
}

function pick<T extends object, K extends keyof T>(data: T, keys: readonly K[]): Pick<T, K> {
  return Object.fromEntries(keys.map((key) => [key, data[key]])) as Pick<T, K>;
}

function unknownEvent(event: never): never {
  throw new Error(`the timeline has no entry for event type ${(event as { type: string }).type}`);
}

/** The timeline entry of one stored event. */
export function timelineEntry(event: StoredOrderEvent): TimelineEntry {
  const domainEvent = { type: event.type, data: event.payload.event } as OrderEvent;
  return { version: event.aggregateVersion, type: event.type, at: domainEvent.data.at, ...fieldsOf(domainEvent) };
}
