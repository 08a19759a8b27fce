import Fastify, { type FastifyInstance } from 'fastify';
import type { Role } from '../config.js';
import type { Db } from '../db/database.js';
import { readModels } from '../read-models/registry.js';
import type { SearchClient } from '../search/client.js';
import { createAuthenticator, requireRole } from './auth.js';
import type { AppContext } from './context.js';
import { problemFrameworkErrors, registerProblemHandling } from './problem.js';
import { registerOrderCommands } from './routes/order-commands.js';
import { registerPlaceOrder } from './routes/orders.js';
import { registerProducts } from './routes/products.js';

export const BODY_LIMIT_BYTES = 64 * 1024;

export interface AppDeps {
  db: Db;
  search: SearchClient;
  searchIndexPrefix: string;
  apiTokens: ReadonlyMap<string, Role>;
  idempotencyRetentionMs: number;
  clock?: () => Date;
  /** false silences request logs; a stream receives them (tests read it). */
  logger?: boolean | { stream: NodeJS.WritableStream };
}

/**
 * Request logs carry method, route and status only: query strings (support searches by
 * email or phone), bodies and credentials never reach a log line.
 */
const loggerOptions = {
  level: process.env.LOG_LEVEL ?? 'info',
  serializers: {
    req: (req: { method: string; routeOptions?: { url?: string }; url: string }) => ({
      method: req.method,
      route: req.routeOptions?.url ?? req.url.split('?')[0],
    }),
  },
};

export function buildApp(deps: AppDeps): FastifyInstance {
  const logger = deps.logger === false ? false : { ...loggerOptions, ...(typeof deps.logger === 'object' ? deps.logger : {}) };
  const app = Fastify({ logger, bodyLimit: BODY_LIMIT_BYTES, frameworkErrors: problemFrameworkErrors(BODY_LIMIT_BYTES) });
  const authenticate = createAuthenticator(deps.apiTokens);
  const ctx: AppContext = {
    db: deps.db,
    search: deps.search,
    searchIndexPrefix: deps.searchIndexPrefix,
    idempotencyRetentionMs: deps.idempotencyRetentionMs,
    clock: deps.clock ?? (() => new Date()),
    authorize: (request, roles) => {
      const caller = authenticate(request);
      requireRole(caller, roles);
      return caller;
    },
  };
  registerProblemHandling(app, { bodyLimit: BODY_LIMIT_BYTES });
  registerPlaceOrder(app, ctx);
  registerOrderCommands(app, ctx);
  for (const model of readModels) model.routes?.(app, ctx);
  registerProducts(app, ctx);
  app.get('/health', async () => ({ status: 'ok' }));
  return app;
}
