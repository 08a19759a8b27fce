import type { Db } from '../db/database.js';
import type { ProgressWaits } from '../read-models/progress/waiters.js';
import type { SearchClient } from '../search/client.js';

/** Everything a route needs, built once by the app. */
export interface AppContext {
  db: Db;
  search: SearchClient;
  /** OpenSearch read models derive their own index names from it. */
  searchIndexPrefix: string;
  idempotencyRetentionMs: number;
  clock: () => Date;
  /** Wakes reads that wait for a read model to reach a version (`minVersion`, `waitMs`). */
  progress: ProgressWaits;
  // No authorize(): routes declare their roles with defineRoute, and the caller is checked
  // before the body is read.
}
