import { ApplicationFailure } from '@temporalio/activity';
import type { Db } from '../src/db/database.js';
import { measureApply } from '../src/metrics/read-model-metrics.js';
import type { StoredOrderEvent } from '../src/outbox/envelope.js';
import { loadEvents } from '../src/outbox/load.js';
import { advanceCheckpoint } from '../src/read-models/checkpoints.js';
import { recordApplied } from '../src/read-models/ledger.js';
import { notifyProgress } from '../src/read-models/progress/signal.js';
import { handlesEvent, type ApplyOutcome, type ReadModel, type ReadModelDeps } from '../src/read-models/read-model.js';

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
    throw ApplicationFailure.nonRetryable(`${missing.length} event(s) of the batch are not in the outbox`, 'PoisonEvent', { missing });
  }
  return events;
}

function resolve(models: readonly ReadModel[], name: string): ReadModel {
  const model = models.find((m) => m.name === name);
  if (model) return model;
  // A workflow names a model this worker does not have (a rollback, a typo): no retry helps.
  throw ApplicationFailure.nonRetryable(`unknown read model "${name}"`, 'UnknownReadModel', {
    readModel: name,
    known: models.map((m) => m.name),
  });
}

/**
 * The model's apply, then the ledger for everything it was given (events it does not handle
 * count as applied; a PostgreSQL model has already recorded the rest in its own
 * transaction), then its checkpoint: always after the apply is durable. Last, readers
 * waiting for these orders (`minVersion`) are woken; a lost notice only delays them to
 * their deadline.
 */
async function applyToModel(deps: ReadModelDeps, model: ReadModel, events: StoredOrderEvent[]): Promise<ApplyOutcome> {
  const handled = events.filter((e) => handlesEvent(model, e));
  const outcome = handled.length > 0 ? await model.apply(deps, handled) : { applied: 0, skipped: 0 };
  await recordApplied(deps.db, model.name, events);
  await advanceCheckpoint(deps.db, model.name);
  await notifyProgress(deps.db, model.name, events.map((e) => e.aggregateId));
  return { applied: outcome.applied, skipped: outcome.skipped + events.length - handled.length };
}

/** Built once per worker with its dependencies and the registry; each function is one Temporal activity. */
export function createReadModelActivities(deps: ReadModelDeps, models: readonly ReadModel[]) {
  const apply = async ({ readModel, eventIds }: ApplyReadModelInput): Promise<ApplyOutcome> =>
    measureApply(readModel, async () => {
      const model = resolve(models, readModel);
      const events = await loadAll(deps.db, eventIds);
      return { events, outcome: await applyToModel(deps, model, events) };
    });
  return {
    applyReadModel: apply,
    // Kept for batch workflows that were running when the registry arrived: their histories
    // schedule these names, and a replay must find them.
    projectOrderSummary: ({ eventIds }: LegacyProjectEventsInput) => apply({ readModel: 'order-status', eventIds }),
    projectSearchIndex: ({ eventIds }: LegacyProjectEventsInput) => apply({ readModel: 'support-search', eventIds }),
  };
}
