import type { ReadModel } from '../read-model.js';
import { applyToCustomerHistory, CUSTOMER_HISTORY } from './projection.js';
import { register } from './routes.js';
import { customerHistoryMigrations } from './storage.js';
import { verifyCustomerHistory } from './verify.js';

/** Each customer's orders, newest first, paged by keyset: GET /customers/{customerId}/orders. */
export const customerHistory: ReadModel = {
  name: CUSTOMER_HISTORY,
  version: 1,
  store: 'postgres',
  tables: ['customer_order_history'],
  // Every event moves the order's version, which each item's freshness reports.
  handles: 'all',
  apply: (deps, events) => applyToCustomerHistory(deps.db, events),
  migrations: customerHistoryMigrations,
  routes: register,
  verify: (deps, fold) => verifyCustomerHistory(deps.db, fold),
};
