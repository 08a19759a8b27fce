import Fastify, { type FastifyInstance } from 'fastify';
import { DEFAULT_HTTP_TIMEOUTS, type HttpTimeouts, type TokenGrant } from '../config.js';
import type { Db } from '../db/database.js';
import { ProgressListener } from '../read-models/progress/listener.js';
import { ProgressWaiters, type ProgressWaits } from '../read-models/progress/waiters.js';
import { readModels } from '../read-models/registry.js';
import type { TemporalView } from '../read-models/status/failed-batches.js';
import { registerReadModelStatus } from '../read-models/status/routes.js';
import type { SearchClient } from '../search/client.js';
import { registerRequestMetrics } from '../metrics/http-metrics.js';
import { registerMetricsRoute } from '../metrics/route.js';
import { registerAuthentication } from './auth.js';
import { registerNoStore } from './cache-control.js';
import type { AppContext } from './context.js';
import { registerOpenApi } from './openapi/route.js';
import { problemFrameworkErrors, registerProblemHandling } from './problem.js';
import { problemClientErrorHandler } from './problems/client-errors.js';
import { refuseUnmetExpectations, registerHostRequirement } from './problems/server-refusals.js';
import { defineRoute } from './routing/define-route.js';
import { createRouteTable } from './routing/route-table.js';
import { registerOrderCommands } from './routes/order-commands.js';
import { registerPlaceOrder } from './routes/orders.js';
import { registerProducts } from './routes/products.js';
import { registerRebuildRoutes, type RebuildStarter } from '../read-models/rebuild/routes.js';

export const BODY_LIMIT_BYTES = 64 * 1024;

export interface AppDeps {
  db: Db;
  search: SearchClient;
  searchIndexPrefix: string;
  apiTokens: ReadonlyMap<string, TokenGrant>;
  idempotencyRetentionMs: number;
  /** Defaults to DEFAULT_HTTP_TIMEOUTS. */
  timeouts?: HttpTimeouts;
  clock?: () => Date;
  /**
   * Where reads that wait for a version (`minVersion`) LISTEN for read model progress; the app
   * owns that connection. Without it such reads wait out `waitMs` and read once more.
   */
  databaseUrl?: string;
  /** Temporal visibility for GET /ops/read-models; without it, failed batches show as unreachable. */
  temporal?: TemporalView;
  /** Starts read model rebuilds (POST /ops/read-models/{name}/rebuild); absent, that route answers 503. */
  rebuilds?: RebuildStarter;
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

/**
 * Node checks request and header deadlines on an interval (30 s by default), which would let
 * a stalled request outlive its timeout by that much; checking often keeps the bound tight.
 */
function serverTimeouts(timeouts: HttpTimeouts) {
  const { requestTimeoutMs, headersTimeoutMs, keepAliveTimeoutMs } = timeouts;
  const connectionsCheckingInterval = Math.max(50, Math.min(1_000, Math.floor(headersTimeoutMs / 2)));
  return {
    requestTimeout: requestTimeoutMs,
    keepAliveTimeout: keepAliveTimeoutMs,
    // Host is checked by our own hook, so a missing one gets problem+json (server-refusals.ts).
    http: { requestTimeout: requestTimeoutMs, headersTimeout: headersTimeoutMs, connectionsCheckingInterval, requireHostHeader: false },
  };
}

function createFastify(deps: AppDeps): FastifyInstance {
  const logger = deps.logger === false ? false : { ...loggerOptions, ...(typeof deps.logger === 'object' ? deps.logger : {}) };
  return Fastify({
    logger,
    bodyLimit: BODY_LIMIT_BYTES,
    frameworkErrors: problemFrameworkErrors(BODY_LIMIT_BYTES),
    clientErrorHandler: problemClientErrorHandler,
    ...serverTimeouts(deps.timeouts ?? DEFAULT_HTTP_TIMEOUTS),
  });
}

/** One LISTEN connection per app, opened when it is ready and closed with it. */
function progressWaits(app: FastifyInstance, databaseUrl: string | undefined): ProgressWaits {
  if (!databaseUrl) return new ProgressWaiters();
  const listener = new ProgressListener({ databaseUrl, log: (line, fields) => app.log.warn(fields ?? {}, line) });
  app.addHook('onReady', async () => void listener.start());
  app.addHook('onClose', async () => listener.close());
  return listener;
}

export function buildApp(deps: AppDeps): FastifyInstance {
  const app = createFastify(deps);
  const routes = createRouteTable(app);
  const ctx: AppContext = {
    db: deps.db,
    search: deps.search,
    searchIndexPrefix: deps.searchIndexPrefix,
    idempotencyRetentionMs: deps.idempotencyRetentionMs,
    clock: deps.clock ?? (() => new Date()),
    progress: progressWaits(app, deps.databaseUrl),
  };
  registerProblemHandling(app, { bodyLimit: BODY_LIMIT_BYTES, allowedMethods: routes.allowedMethods });
  registerHostRequirement(app);
  refuseUnmetExpectations(app.server);
  registerAuthentication(app, deps.apiTokens);
  registerNoStore(app);
  registerRequestMetrics(app);
  registerPlaceOrder(app, ctx);
  registerOrderCommands(app, ctx);
  for (const model of readModels) model.routes?.(app, ctx);
  registerReadModelStatus(app, ctx, deps.temporal);
  registerProducts(app, ctx);
  registerRebuildRoutes(app, deps.rebuilds);
  defineRoute(app, {
    method: 'GET', url: '/health', roles: 'public', summary: 'Liveness of the API process',
    responses: { 200: { description: 'The API is up' } },
  }, async () => ({ status: 'ok' }));
  registerMetricsRoute(app, ctx);
  registerOpenApi(app, routes);
  return app;
}
