import type { Db } from '../db/database.js';
import type { SearchClient } from '../search/client.js';

/** Everything a route needs, built once by the app. */
export interface AppContext {
  db: Db;
  search: SearchClient;
  /** OpenSearch read models derive their own index names from it. */
  searchIndexPrefix: string;
  idempotencyRetentionMs: number;
  clock: () => Date;
  // No authorize(): routes declare their roles with defineRoute, and the caller is checked
  // before the body is read.
}
