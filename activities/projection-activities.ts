import { ApplicationFailure } from '@temporalio/activity';
import type { Client as SearchClient } from '@opensearch-project/opensearch';
import type { Db } from '../src/db/database.js';
import type { StoredOrderEvent } from '../src/outbox/envelope.js';
import { loadEvents } from '../src/outbox/load.js';
import { applyToOrderSummary } from '../src/projections/order-summary.js';
import { applyToSearchIndex } from '../src/projections/search-index.js';

export interface ProjectionActivityDeps {
  db: Db;
  search: SearchClient;
  /** The alias every search read and write goes through. */
  searchAlias: string;
}

export interface ProjectEventsInput {
  eventIds: string[];
}

/**
 * A batch names events the outbox no longer has: retrying cannot help, so the batch fails
 * at once and its workflow history keeps the ids for an operator.
 */
async function loadAll(deps: ProjectionActivityDeps, eventIds: string[]): Promise<StoredOrderEvent[]> {
  const events = await loadEvents(deps.db, eventIds);
  if (events.length !== new Set(eventIds).size) {
    const found = new Set(events.map((e) => e.eventId));
    const missing = eventIds.filter((id) => !found.has(id));
    throw ApplicationFailure.nonRetryable(`${missing.length} event(s) of the batch are not in the outbox`, 'PoisonEvent', { missing });
  }
  return events;
}

/** Built once per worker with its dependencies; each function is one Temporal activity. */
export function createProjectionActivities(deps: ProjectionActivityDeps) {
  return {
    async projectOrderSummary({ eventIds }: ProjectEventsInput) {
      return applyToOrderSummary(deps.db, await loadAll(deps, eventIds));
    },
    async projectSearchIndex({ eventIds }: ProjectEventsInput) {
      return applyToSearchIndex(deps.search, deps.searchAlias, await loadAll(deps, eventIds));
    },
  };
}
