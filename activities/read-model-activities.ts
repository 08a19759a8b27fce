import { ApplicationFailure, Context } from '@temporalio/activity';
import type pg from 'pg';
import type { Db } from '../src/db/database.js';
import { measureApply } from '../src/metrics/read-model-metrics.js';
import type { StoredOrderEvent } from '../src/outbox/envelope.js';
import { crashPoint } from '../src/processes/crash-point.js';
import { loadEvents } from '../src/outbox/load.js';
import { advanceCheckpoint } from '../src/read-models/checkpoints.js';
import { applyWithHolds, StoreMissingError, type Rejection } from '../src/read-models/failures/apply-with-holds.js';
import { FailureTypes } from '../src/read-models/failures/failure-types.js';
import { notifyProgress } from '../src/read-models/progress/signal.js';
import { type ApplyOutcome, type ReadModel, type ReadModelDeps } from '../src/read-models/read-model.js';
import { countedAttempt } from '../src/read-models/status/stats.js';
import { canRebuild } from '../src/read-models/rebuild/shadow.js';
import { withLiveApplyLock } from '../src/read-models/rebuild/swap-lock.js';

export interface ApplyReadModelInput {
  readModel: string;
  eventIds: string[];
}

/** Inputs of batch workflows started before the registry: one activity per store. */
export interface LegacyProjectEventsInput {
  eventIds: string[];
}

/**
 * A batch names events the outbox no longer has: retrying cannot help, so the batch fails
 * at once and its workflow history keeps the ids for an operator.
 */
async function loadAll(db: Db, eventIds: string[]): Promise<StoredOrderEvent[]> {
  const events = await loadEvents(db, eventIds);
  if (events.length !== new Set(eventIds).size) {
    const found = new Set(events.map((e) => e.eventId));
    const missing = eventIds.filter((id) => !found.has(id));
    throw ApplicationFailure.nonRetryable(`${missing.length} event(s) of the batch are not in the outbox`, FailureTypes.poisonEvent, { missing });
  }
  return events;
}

function resolve(models: readonly ReadModel[], name: string): ReadModel {
  const model = models.find((m) => m.name === name);
  if (model) return model;
  // A workflow names a model this worker does not have (a rollback, a typo): no retry helps.
  throw ApplicationFailure.nonRetryable(`unknown read model "${name}"`, FailureTypes.unknownReadModel, {
    readModel: name,
    known: models.map((m) => m.name),
  });
}

/** The failure's details: the first refused event in full, then every refusal (ids and reasons only). */
function rejectedFailure(model: ReadModel, rejected: Rejection[]): ApplicationFailure {
  const [first] = rejected;
  const { event, reason } = first!;
  const refusals = rejected.slice(0, 50).map((r) => ({ eventId: r.event.eventId, orderId: r.event.aggregateId, version: r.event.aggregateVersion, reason: r.reason }));
  return ApplicationFailure.nonRetryable(
    `read model ${model.name} refused event ${event.eventId} (order ${event.aggregateId}, version ${event.aggregateVersion}): ${reason}` +
      (rejected.length > 1 ? `; ${rejected.length} orders held in all` : ''),
    FailureTypes.eventRejected,
    { readModel: model.name, eventId: event.eventId, orderId: event.aggregateId, version: event.aggregateVersion, eventType: event.type, reason, rejected: refusals },
  );
}

function storeMissingFailure(model: ReadModel, error: StoreMissingError, events: StoredOrderEvent[]): ApplicationFailure {
  return ApplicationFailure.nonRetryable(`read model ${model.name} cannot write: ${error.reason}`, FailureTypes.storeMissing, {
    readModel: model.name,
    reason: error.reason,
    eventIds: events.map((e) => e.eventId),
  });
}

/**
 * Applies the events (see `applyWithHolds`: a refused event holds only its own order), then
 * moves the checkpoint: always after the apply is durable. Then readers waiting for these
 * orders (`minVersion`) are woken; a lost notice only delays them to their deadline. Refused
 * events fail the activity for good, after everything else has been applied.
 */
async function applyToModel(deps: ReadModelDeps, model: ReadModel, events: StoredOrderEvent[]): Promise<ApplyOutcome> {
  let outcome;
  try {
    outcome = await applyWithHolds(deps, model, events);
  } catch (error) {
    if (error instanceof StoreMissingError) throw storeMissingFailure(model, error, events);
    throw error;
  }
  crashPoint('worker:after-apply-before-checkpoint');
  await advanceCheckpoint(deps.db, model.name);
  await notifyProgress(deps.db, model.name, new Set(outcome.touched));
  if (outcome.rejected.length > 0) throw rejectedFailure(model, outcome.rejected);
  return { applied: outcome.applied, skipped: outcome.skipped };
}

/** The attempt of the running activity; 1 when called outside one (tests feeding a model directly). */
function attemptNumber(): number {
  try {
    return Context.current().info.attempt;
  } catch {
    return 1;
  }
}

/**
 * Built once per worker with its dependencies and the registry; each function is one Temporal
 * activity. With `rebuildLocks`, each apply holds its model's shared rebuild lock, so a
 * rebuild's swap never runs in the middle of it.
 */
export function createReadModelActivities(deps: ReadModelDeps, models: readonly ReadModel[], rebuildLocks?: pg.Pool) {
  const apply = async ({ readModel, eventIds }: ApplyReadModelInput): Promise<ApplyOutcome> =>
    measureApply(readModel, async () => {
      const model = resolve(models, readModel);
      // Only models a rebuild can swap need the lock; the others never wait for one.
      const locks = canRebuild(model) ? rebuildLocks : undefined;
      let events: StoredOrderEvent[] = [];
      // Counted for GET /ops/read-models: events newly applied, retries, the last error.
      const outcome = await countedAttempt(deps.db, model.name, eventIds, attemptNumber(), async () => {
        events = await loadAll(deps.db, eventIds);
        return withLiveApplyLock(locks, model.name, () => applyToModel(deps, model, events));
      });
      return { events, outcome };
    });
  return {
    applyReadModel: apply,
    // Kept for batch workflows that were running when the registry arrived: their histories
    // schedule these names, and a replay must find them.
    projectOrderSummary: ({ eventIds }: LegacyProjectEventsInput) => apply({ readModel: 'order-status', eventIds }),
    projectSearchIndex: ({ eventIds }: LegacyProjectEventsInput) => apply({ readModel: 'support-search', eventIds }),
  };
}
