import type { StoredOrderEvent } from '../../outbox/envelope.js';
import { recordApplied } from '../ledger.js';
import { handlesEvent, type ApplyOutcome, type ReadModel, type ReadModelDeps } from '../read-model.js';
import { classifyStoreError, type Classification } from './classify.js';
import { FailureTypes } from './failure-types.js';
import { appliedHolds, heldVersions, moveHold, recordHold, releaseHold, unappliedEventsAfter } from './holds.js';

/** An event the model refused for good, and why (safe to log). */
export interface Rejection {
  event: StoredOrderEvent;
  reason: string;
}

export interface HeldOutcome extends ApplyOutcome {
  rejected: Rejection[];
  /** Orders whose events were applied, here or as followers of a released hold. */
  touched: string[];
}

/** The model's store lacks what it writes to (a deleted index): no event of any order can pass. */
export class StoreMissingError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'StoreMissingError';
  }
}

const none = (): HeldOutcome => ({ applied: 0, skipped: 0, rejected: [], touched: [] });

function add(total: HeldOutcome, part: HeldOutcome): HeldOutcome {
  return { applied: total.applied + part.applied, skipped: total.skipped + part.skipped, rejected: [...total.rejected, ...part.rejected], touched: [...total.touched, ...part.touched] };
}

/** The model's apply, then the ledger for everything it was given (unhandled events count as applied). */
async function applyAndRecord(deps: ReadModelDeps, model: ReadModel, events: StoredOrderEvent[]): Promise<HeldOutcome> {
  const handled = events.filter((e) => handlesEvent(model, e));
  const outcome = handled.length > 0 ? await model.apply(deps, handled) : { applied: 0, skipped: 0 };
  await recordApplied(deps.db, model.name, events);
  const touched = [...new Set(events.map((e) => e.aggregateId))];
  return { applied: outcome.applied, skipped: outcome.skipped + events.length - handled.length, rejected: [], touched };
}

/** Transient faults propagate (the activity retries); permanent ones come back classified. */
function permanentOrThrow(error: unknown): Classification {
  const classification = classifyStoreError(error);
  if (!classification.permanent) throw error;
  if (classification.scope === 'store') throw new StoreMissingError(classification.reason);
  return classification;
}

/** Each order's events in version order, orders sorted by id (a stable lock order). */
function byOrder(events: readonly StoredOrderEvent[]): StoredOrderEvent[][] {
  const groups = new Map<string, StoredOrderEvent[]>();
  for (const e of events) groups.set(e.aggregateId, [...(groups.get(e.aggregateId) ?? []), e]);
  return [...groups.keys()].sort().map((id) => groups.get(id)!.sort((a, b) => a.aggregateVersion - b.aggregateVersion));
}

/**
 * After a permanent fault, finds the refused events: order by order, event by event, so all
 * other orders still get applied. An order stops at its first refused event and is held there.
 */
async function applyOrderByOrder(deps: ReadModelDeps, model: ReadModel, events: readonly StoredOrderEvent[]): Promise<HeldOutcome> {
  let total = none();
  for (const orderEvents of byOrder(events)) {
    for (const [i, event] of orderEvents.entries()) {
      try {
        total = add(total, await applyAndRecord(deps, model, [event]));
      } catch (error) {
        const { reason } = permanentOrThrow(error);
        await recordHold(deps.db, model.name, event, FailureTypes.eventRejected, reason);
        total = add(total, { ...none(), skipped: orderEvents.length - i, rejected: [{ event, reason }] });
        break;
      }
    }
  }
  return total;
}

/** A model that needs every event applies nothing of a held order past its held event. */
async function withoutHeld(deps: ReadModelDeps, model: ReadModel, events: StoredOrderEvent[]): Promise<{ ready: StoredOrderEvent[]; deferred: number }> {
  if (!model.needsEveryEvent) return { ready: events, deferred: 0 };
  const held = await heldVersions(deps.db, model.name, events.map((e) => e.aggregateId));
  // Deferred events stay out of the ledger: they are not applied, so the checkpoint stops before them.
  const ready = events.filter((e) => !(e.aggregateVersion > (held.get(e.aggregateId) ?? Infinity)));
  return { ready, deferred: events.length - ready.length };
}

/** Held events now applied release their orders; the events held back behind them follow at once. */
async function followReleased(deps: ReadModelDeps, model: ReadModel, orderIds: string[]): Promise<HeldOutcome> {
  let total = none();
  for (const { orderId, version } of await appliedHolds(deps.db, model.name, orderIds)) {
    total = add(total, await catchUpHeldOrder(deps, model, orderId, version));
  }
  return total;
}

/**
 * Applies, in version order, the events held back behind an order's now-applied event while
 * its hold still stands, so a concurrent batch keeps deferring them rather than applying one
 * out of order. A refused follower moves the hold to itself. Once they are all in, the hold
 * goes, and a last look applies what a batch deferred just before it went.
 */
async function catchUpHeldOrder(deps: ReadModelDeps, model: ReadModel, orderId: string, version: number): Promise<HeldOutcome> {
  let total = none();
  const following = await unappliedEventsAfter(deps.db, model.name, orderId, version);
  for (const [i, event] of following.entries()) {
    try {
      total = add(total, await applyAndRecord(deps, model, [event]));
    } catch (error) {
      const { reason } = permanentOrThrow(error);
      await moveHold(deps.db, model.name, event, FailureTypes.eventRejected, reason);
      return add(total, { ...none(), skipped: following.length - i, rejected: [{ event, reason }] });
    }
  }
  await releaseHold(deps.db, model.name, orderId, version);
  const late = await unappliedEventsAfter(deps.db, model.name, orderId, following.at(-1)?.aggregateVersion ?? version);
  return late.length > 0 ? add(total, await applyWithHolds(deps, model, late)) : total;
}

/**
 * Applies events to one read model: the whole batch at once while nothing is wrong; after a
 * permanent fault, order by order, holding each order at the event its model refused.
 */
export async function applyWithHolds(deps: ReadModelDeps, model: ReadModel, events: StoredOrderEvent[]): Promise<HeldOutcome> {
  const { ready, deferred } = await withoutHeld(deps, model, events);
  let outcome: HeldOutcome;
  try {
    outcome = await applyAndRecord(deps, model, ready);
  } catch (error) {
    permanentOrThrow(error);
    outcome = await applyOrderByOrder(deps, model, ready);
  }
  outcome = add(outcome, { ...none(), skipped: deferred });
  return add(outcome, await followReleased(deps, model, outcome.touched));
}
