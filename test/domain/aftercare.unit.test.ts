import { describe, expect, it } from 'vitest';
import { decide, type OrderCommand } from '../../src/domain/index.js';
import {
  at,
  authorized,
  cancelled,
  delivered,
  expectAccepted,
  expectRejected,
  openDispute,
  placed,
  resolveDispute,
  run,
  shipmentStatus,
  shipped,
} from './fixtures.js';

const note = (minute = 7): OrderCommand => ({ type: 'AddNote', at: at(minute), noteId: `note-${minute}`, text: 'called customer', author: 'agent-7' });
const flag = (minute = 8): OrderCommand => ({ type: 'FlagRisk', at: at(minute), flag: 'velocity', reason: 'many orders' });
const lost = () => run([shipmentStatus('lost')], shipped());

describe('AddNote', () => {
  it('emits NoteAdded and counts notes', () => {
    expect(expectAccepted(decide(note(7), placed()))).toEqual([
      { type: 'NoteAdded', data: { orderId: 'order-1', at: at(7), noteId: 'note-7', text: 'called customer', author: 'agent-7' } },
    ]);
    expect(run([note(7), note(8)], placed()).noteCount).toBe(2);
  });

  it.each([placed, authorized, shipped, delivered, lost, cancelled])('is accepted in any state (%#) without changing status', (build) => {
    const before = build();
    const after = run([note()], before);
    expect(after.status).toBe(before.status);
    expect(after.noteCount).toBe(before.noteCount + 1);
  });

  it('needs an existing order', () => {
    expectRejected(decide(note(), null), 'order_not_found');
  });
});

describe('FlagRisk', () => {
  it('emits RiskFlagged and keeps every flag', () => {
    expect(expectAccepted(decide(flag(8), placed()))).toEqual([
      { type: 'RiskFlagged', data: { orderId: 'order-1', at: at(8), flag: 'velocity', reason: 'many orders' } },
    ]);
    expect(run([flag(8), flag(9)], placed()).riskFlags).toEqual([
      { flag: 'velocity', reason: 'many orders' },
      { flag: 'velocity', reason: 'many orders' },
    ]);
  });

  it.each([placed, authorized, shipped, delivered, lost, cancelled])('is accepted in any state (%#) without changing status', (build) => {
    const before = build();
    expect(run([flag()], before).status).toBe(before.status);
  });
});

describe('OpenDispute', () => {
  it('opens a dispute on an authorized payment', () => {
    expect(expectAccepted(decide(openDispute('d1', 5), authorized()))).toEqual([
      { type: 'DisputeOpened', data: { orderId: 'order-1', at: at(5), disputeId: 'd1', reason: 'not_received' } },
    ]);
    expect(run([openDispute('d1')], authorized()).disputes).toEqual([
      { disputeId: 'd1', reason: 'not_received', status: 'open', outcome: null },
    ]);
  });

  it('is allowed after delivery and after loss (money was taken)', () => {
    expect(run([openDispute()], delivered()).disputes).toHaveLength(1);
    expect(run([openDispute()], lost()).disputes).toHaveLength(1);
  });

  it('rejects a dispute when no payment was authorized', () => {
    const error = expectRejected(decide(openDispute(), placed()), 'illegal_transition');
    expect(error.details).toMatchObject({ currentStatus: 'placed', command: 'OpenDispute', paymentState: 'pending' });
    expectRejected(decide(openDispute(), cancelled()), 'illegal_transition');
    expectRejected(decide(openDispute(), run([{ type: 'CancelOrder', at: at(3), reason: 'x' }], authorized())), 'illegal_transition');
  });

  it('allows only one open dispute at a time', () => {
    const state = run([openDispute('d1')], authorized());
    const error = expectRejected(decide(openDispute('d2', 6), state), 'dispute_already_open');
    expect(error.details).toEqual({ openDisputeId: 'd1' });
  });

  it('allows a new dispute once the previous one is resolved', () => {
    const state = run([openDispute('d1', 5), resolveDispute('d1', 'rejected', 6), openDispute('d2', 7)], authorized());
    expect(state.disputes.map((d) => [d.disputeId, d.status])).toEqual([
      ['d1', 'resolved'],
      ['d2', 'open'],
    ]);
  });

  it('does not reopen a resolved dispute id', () => {
    const state = run([openDispute('d1', 5), resolveDispute('d1', 'upheld', 6)], authorized());
    const error = expectRejected(decide(openDispute('d1', 7), state), 'illegal_transition');
    expect(error.details).toMatchObject({ command: 'OpenDispute', currentStatus: 'authorized', disputeId: 'd1' });
  });
});

describe('ResolveDispute', () => {
  it.each(['upheld', 'rejected'] as const)('resolves an open dispute as %s', (outcome) => {
    const open = run([openDispute('d1')], authorized());
    expect(expectAccepted(decide(resolveDispute('d1', outcome, 6), open))).toEqual([
      { type: 'DisputeResolved', data: { orderId: 'order-1', at: at(6), disputeId: 'd1', outcome, comment: 'checked with carrier' } },
    ]);
    const state = run([resolveDispute('d1', outcome)], open);
    expect(state.disputes).toEqual([{ disputeId: 'd1', reason: 'not_received', status: 'resolved', outcome }]);
    expect(state.status).toBe('authorized');
  });

  it('rejects an unknown dispute', () => {
    const error = expectRejected(decide(resolveDispute('nope'), run([openDispute('d1')], authorized())), 'dispute_not_found');
    expect(error.details).toEqual({ disputeId: 'nope' });
  });

  it('rejects resolving a dispute twice', () => {
    const state = run([openDispute('d1'), resolveDispute('d1')], authorized());
    const error = expectRejected(decide(resolveDispute('d1', 'rejected', 9), state), 'illegal_transition');
    expect(error.details).toMatchObject({ currentStatus: 'authorized', command: 'ResolveDispute', disputeStatus: 'resolved' });
  });

  it('resolves a dispute left open when the order was cancelled', () => {
    const state = run([openDispute('d1'), { type: 'CancelOrder', at: at(6), reason: 'fraud' }, resolveDispute('d1', 'upheld', 7)], authorized());
    expect(state.status).toBe('cancelled');
    expect(state.disputes[0]).toMatchObject({ status: 'resolved', outcome: 'upheld' });
  });
});
