import type { ReadModel } from '../read-model.js';
import { applyToOpsDashboard, OPS_DASHBOARD } from './projection.js';
import { register } from './routes.js';
import { opsDashboardMigrations } from './storage.js';
import { verifyOpsDashboard } from './verify.js';

/**
 * Operations dashboard: orders per status, region and payment provider, events per minute,
 * and orders stuck in a waiting status, all kept up to date by the projection.
 */
export const opsDashboard: ReadModel = {
  name: OPS_DASHBOARD,
  version: 1,
  store: 'postgres',
  tables: ['ops_dashboard_orders', 'ops_dashboard_buckets', 'ops_dashboard_minutes'],
  // Every event, so each order's row carries the order's own version for verify to compare.
  handles: 'all',
  // Every event of an order counts: after a failed event, later ones of that order wait.
  needsEveryEvent: true,
  apply: (deps, events) => applyToOpsDashboard(deps.db, events),
  migrations: opsDashboardMigrations,
  routes: register,
  verify: (deps, fold) => verifyOpsDashboard(deps.db, fold),
};
