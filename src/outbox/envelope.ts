import type { OrderEvent, OrderState } from '../domain/index.js';

/**
 * What an outbox row carries: the change itself and the order's state after it.
 * State read models stay right with a version guard alone, even when an earlier
 * event of the same order is delayed or replayed.
 */
export interface OrderEventPayload {
  event: OrderEvent['data'];
  order: OrderState;
}

export interface StoredOrderEvent {
  position: number;
  eventId: string;
  aggregateId: string;
  aggregateVersion: number;
  type: OrderEvent['type'];
  occurredAt: Date;
  payload: OrderEventPayload;
}

/** What a batch workflow receives: references only, so personal data stays out of workflow history. */
export interface EventRef {
  position: number;
  eventId: string;
  aggregateId: string;
  aggregateVersion: number;
  type: string;
}
