import type { ReadModel } from '../read-model.js';
import { applyToOrderStatus, ORDER_STATUS } from './projection.js';
import { register } from './routes.js';
import { orderStatusMigrations } from './storage.js';
import { verifyOrderStatus } from './verify.js';

/** The latest state of each order, by id: what GET /orders/{id} answers from. */
export const orderStatus: ReadModel = {
  name: ORDER_STATUS,
  version: 1,
  store: 'postgres',
  tables: ['order_summary'],
  handles: 'all',
  apply: (deps, events) => applyToOrderStatus(deps.db, events),
  migrations: orderStatusMigrations,
  routes: register,
  verify: verifyOrderStatus,
};
