import { describe, expect, it } from 'vitest';
import {
  InvalidEventHistoryError,
  ORDER_COMMAND_TYPES,
  ORDER_EVENT_TYPES,
  decide,
  evolve,
  fold,
  isOrderEventType,
  type OrderEvent,
} from '../../src/domain/index.js';
import { at, authorize, expectAccepted, openDispute, placeOrder, placed, refund, ship } from './fixtures.js';

function historyOf(): OrderEvent[] {
  const events: OrderEvent[] = [];
  let state = null;
  for (const command of [placeOrder(), authorize(1), refund(500), openDispute('d1'), ship(7)]) {
    const emitted = expectAccepted(decide(command, state));
    events.push(...emitted);
    state = emitted.reduce(evolve, state);
  }
  return events;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

describe('evolve and fold', () => {
  it('counts one version per event and stamps updatedAt with the event time', () => {
    const events = historyOf();
    const state = fold(events);
    expect(state.version).toBe(events.length);
    expect(state.placedAt).toBe(at(0));
    expect(state.updatedAt).toBe(at(7));
    expect(state).toMatchObject({ status: 'shipped', refund: { state: 'partial', refundedCents: 500 } });
  });

  it('folding a prefix gives the state at that point', () => {
    const events = historyOf();
    expect(fold(events.slice(0, 2)).status).toBe('authorized');
    expect(fold(events.slice(0, 2)).version).toBe(2);
  });

  it('never mutates the state or event it is given', () => {
    const events = deepFreeze(historyOf());
    let state = deepFreeze(evolve(null, events[0]!));
    for (const event of events.slice(1)) state = deepFreeze(evolve(state, event));
    expect(state.version).toBe(events.length);
  });

  it('rebuilt states do not share arrays with the events they came from', () => {
    const [placedEvent] = expectAccepted(decide(placeOrder(), null));
    const state = evolve(null, placedEvent!);
    state.lines[0]!.quantity = 999;
    expect(placedEvent!.type === 'OrderPlaced' && placedEvent!.data.lines[0]!.quantity).toBe(2);
  });

  it('rejects histories decide() cannot produce', () => {
    const events = historyOf();
    expect(() => fold([])).toThrow(InvalidEventHistoryError);
    expect(() => evolve(null, events[1]!)).toThrow(InvalidEventHistoryError);
    expect(() => evolve(placed(), events[0]!)).toThrow(InvalidEventHistoryError);
    const foreign = { ...events[1]!, data: { ...events[1]!.data, orderId: 'order-2' } } as OrderEvent;
    expect(() => evolve(placed(), foreign)).toThrow(InvalidEventHistoryError);
    const early: OrderEvent = { type: 'ShipmentStatusChanged', data: { orderId: 'order-1', at: at(1), from: 'shipped', status: 'lost' } };
    expect(() => evolve(placed(), early)).toThrow(InvalidEventHistoryError);
  });

  it('survives a JSON round trip (events are stored as jsonb)', () => {
    const events = historyOf();
    expect(fold(JSON.parse(JSON.stringify(events)) as OrderEvent[])).toEqual(fold(events));
  });
});

describe('type lists', () => {
  it('lists every event type exactly once', () => {
    expect([...ORDER_EVENT_TYPES].sort()).toEqual(
      [
        'DisputeOpened',
        'DisputeResolved',
        'NoteAdded',
        'OrderCancelled',
        'OrderPlaced',
        'OrderShipped',
        'PaymentAuthorized',
        'PaymentDeclined',
        'RefundIssued',
        'RiskFlagged',
        'ShipmentStatusChanged',
      ].sort(),
    );
    expect(Object.isFrozen(ORDER_EVENT_TYPES)).toBe(true);
    expect(isOrderEventType('OrderPlaced')).toBe(true);
    expect(isOrderEventType('toString')).toBe(false);
  });

  it('lists every command type exactly once', () => {
    expect(new Set(ORDER_COMMAND_TYPES).size).toBe(10);
    expect(ORDER_COMMAND_TYPES).toContain('PlaceOrder');
    expect(ORDER_COMMAND_TYPES).toContain('FlagRisk');
  });
});
