import type { Client as SearchClient } from '@opensearch-project/opensearch';
import type { Db } from '../src/db/database.js';
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

/** Built once per worker with its dependencies; each function is one Temporal activity. */
export function createProjectionActivities(deps: ProjectionActivityDeps) {
  return {
    async projectOrderSummary({ eventIds }: ProjectEventsInput) {
      const events = await loadEvents(deps.db, eventIds);
      return applyToOrderSummary(deps.db, events);
    },
    async projectSearchIndex({ eventIds }: ProjectEventsInput) {
      const events = await loadEvents(deps.db, eventIds);
      return applyToSearchIndex(deps.search, deps.searchAlias, events);
    },
  };
}
