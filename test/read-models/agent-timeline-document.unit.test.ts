import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decide, evolve, type OrderCommand, type OrderState } from '../../src/domain/index.js';
import type { StoredOrderEvent } from '../../src/outbox/envelope.js';
import { emptyDocument, mergeEvents, visibleEntries, type TimelineDocument } from '../../src/read-models/agent-timeline/document.js';
import { at, CUSTOMER, DEFAULT_TOTAL, placeOrder } from '../domain/fixtures.js';

const lifecycle: OrderCommand[] = [
  placeOrder(),
  { type: 'AuthorizePayment', at: at(1), provider: 'stripe', reference: 'pi_1', amountCents: DEFAULT_TOTAL, outcome: 'approved' },
  { type: 'AddNote', at: at(2), noteId: 'n-1', text: 'called the customer', author: 'support:ab12' },
  { type: 'IssueRefund', at: at(3), refundId: 'r-1', amountCents: 500, reason: 'scratched' },
  { type: 'ShipOrder', at: at(4), carrier: 'DHL', trackingNumber: 'JD1' },
  { type: 'OpenDispute', at: at(5), disputeId: 'd-1', reason: 'late' },
  { type: 'ResolveDispute', at: at(6), disputeId: 'd-1', outcome: 'rejected', comment: 'tracking shows delivery' },
  { type: 'FlagRisk', at: at(7), flag: 'chargeback-risk', reason: 'disputed' },
];

/** The lifecycle's events as the outbox stores them: the change plus the state after it. */
function storedEvents(): StoredOrderEvent[] {
  let state: OrderState | null = null;
  return lifecycle.flatMap((command) => {
    const decision = decide(command, state);
    if (!decision.ok) throw new Error(decision.error.message);
    return decision.events.map((event) => {
      state = evolve(state, event);
      return {
        position: state.version, eventId: `e-${state.version}`, aggregateId: 'order-1', aggregateVersion: state.version,
        type: event.type, occurredAt: new Date(event.data.at), payload: { event: event.data, order: state },
      };
    });
  });
}

const events = storedEvents();
const projectedAt = new Date('2026-01-01T01:00:00Z');
const mergeAll = (batches: StoredOrderEvent[][]): TimelineDocument =>
  batches.reduce((doc, batch) => mergeEvents(doc, batch, projectedAt), emptyDocument());

describe('merging events into an order\'s timeline document', () => {
  it('gives one entry per event, in version order, each with its type and what an agent needs', () => {
    const entries = visibleEntries(mergeAll([events]));

    expect(entries.map((e) => [e.version, e.type])).toEqual([
      [1, 'OrderPlaced'], [2, 'PaymentAuthorized'], [3, 'NoteAdded'], [4, 'RefundIssued'],
      [5, 'OrderShipped'], [6, 'DisputeOpened'], [7, 'DisputeResolved'], [8, 'RiskFlagged'],
    ]);
    expect(entries[1]).toEqual({ version: 2, type: 'PaymentAuthorized', at: at(1), provider: 'stripe', reference: 'pi_1', amountCents: DEFAULT_TOTAL });
    expect(entries[2]).toEqual({ version: 3, type: 'NoteAdded', at: at(2), actor: 'support:ab12', noteId: 'n-1', text: 'called the customer' });
    expect(entries[3]).toMatchObject({ amountCents: 500, reason: 'scratched', refundedCents: 500, refundState: 'partial' });
    expect(entries[6]).toMatchObject({ disputeId: 'd-1', outcome: 'rejected', comment: 'tracking shows delivery' });
    expect(entries[0]).toMatchObject({ totalCents: DEFAULT_TOTAL, lines: [{ sku: 'SKU-MUG', quantity: 2 }, { sku: 'SKU-TEE', quantity: 1 }] });
  });

  it('keeps the customer\'s email, phone and name out of every entry', () => {
    const text = JSON.stringify(mergeAll([events]));

    for (const personal of Object.values(CUSTOMER)) expect(text).not.toContain(personal);
  });

  it('holds entries past a gap until the missing one arrives', () => {
    const withGap = mergeAll([[events[0]!, events[1]!, events[3]!, events[4]!]]);
    const filled = mergeEvents(withGap, [events[2]!], projectedAt);

    expect(visibleEntries(withGap).map((e) => e.version)).toEqual([1, 2]);
    expect(withGap).toMatchObject({ contiguousVersion: 2, maxVersion: 5, lastEventId: 'e-2' });
    expect(visibleEntries(filled).map((e) => e.version)).toEqual([1, 2, 3, 4, 5]);
    expect(filled).toMatchObject({ contiguousVersion: 5, maxVersion: 5, lastEventId: 'e-5', lastEventAt: events[4]!.occurredAt.toISOString() });
  });

  it('gives the same document for any split, order and repetition of the events', () => {
    const inOrder = mergeAll([events]);
    const deliveries = fc.array(fc.constantFrom(...events), { minLength: 1, maxLength: 30 })
      .map((extra) => [...events, ...extra]) // every event at least once, some many times
      .chain((all) => fc.shuffledSubarray(all, { minLength: all.length, maxLength: all.length }))
      .chain((all) => fc.array(fc.nat(all.length), { maxLength: 6 }).map((cuts) => splitAt(all, cuts)));

    fc.assert(fc.property(deliveries, (batches) => {
      expect(mergeAll(batches)).toEqual(inOrder);
    }));
  });
});

function splitAt<T>(items: T[], cuts: number[]): T[][] {
  const bounds = [0, ...[...new Set(cuts)].sort((a, b) => a - b), items.length];
  return bounds.slice(1).map((end, i) => items.slice(bounds[i], end));
}
