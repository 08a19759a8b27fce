import type { FastifyRequest } from 'fastify';
import type { Role } from '../config.js';
import type { Db } from '../db/database.js';
import type { SearchClient } from '../search/client.js';
import type { Caller } from './auth.js';

/** Everything a route needs, built once by the app. */
export interface AppContext {
  db: Db;
  search: SearchClient;
  /** OpenSearch read models derive their own index names from it. */
  searchIndexPrefix: string;
  idempotencyRetentionMs: number;
  clock: () => Date;
  /** Authenticates the request and checks its role; throws a 401/403 problem. */
  authorize: (request: FastifyRequest, roles: readonly Role[]) => Caller;
}
