/** Commands allowed alongside (and after) the lifecycle: notes, risk flags and disputes. */
import type { AddNote, FlagRisk, OpenDispute, ResolveDispute } from './commands.js';
import { accept, illegalTransition, reject, type Decision } from './errors.js';
import type { OrderState } from './types.js';

export function decideAddNote(command: AddNote, state: OrderState): Decision {
  const { at, noteId, text, author } = command;
  return accept({ type: 'NoteAdded', data: { orderId: state.orderId, at, noteId, text, author } });
}

export function decideFlagRisk(command: FlagRisk, state: OrderState): Decision {
  const { at, flag, reason } = command;
  return accept({ type: 'RiskFlagged', data: { orderId: state.orderId, at, flag, reason } });
}

export function decideOpenDispute(command: OpenDispute, state: OrderState): Decision {
  // Disputes are about money taken: without a live authorization there is nothing to dispute.
  if (state.payment.state !== 'authorized') {
    return illegalTransition(command.type, state.status, { paymentState: state.payment.state });
  }
  const open = state.disputes.find((dispute) => dispute.status === 'open');
  if (open !== undefined) {
    return reject('dispute_already_open', `dispute ${open.disputeId} is still open`, { openDisputeId: open.disputeId });
  }
  // Ids stay unique so ResolveDispute is unambiguous; a resolved dispute is not reopened.
  if (state.disputes.some((dispute) => dispute.disputeId === command.disputeId)) {
    return illegalTransition(command.type, state.status, { disputeId: command.disputeId, disputeStatus: 'resolved' });
  }
  const { at, disputeId, reason } = command;
  return accept({ type: 'DisputeOpened', data: { orderId: state.orderId, at, disputeId, reason } });
}

export function decideResolveDispute(command: ResolveDispute, state: OrderState): Decision {
  const dispute = state.disputes.find((candidate) => candidate.disputeId === command.disputeId);
  if (dispute === undefined) {
    return reject('dispute_not_found', `dispute ${command.disputeId} does not exist on this order`, {
      disputeId: command.disputeId,
    });
  }
  if (dispute.status !== 'open') {
    return illegalTransition(command.type, state.status, { disputeId: dispute.disputeId, disputeStatus: dispute.status });
  }
  const { at, disputeId, outcome, comment } = command;
  return accept({ type: 'DisputeResolved', data: { orderId: state.orderId, at, disputeId, outcome, comment } });
}
