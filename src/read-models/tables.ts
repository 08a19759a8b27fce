import type { CustomerHistoryTables } from './customer-history/storage.js';
import type { OrderStatusTables } from './order-status/storage.js';

/** The PostgreSQL tables of every read model, merged into the database type. */
export interface ReadModelTables extends OrderStatusTables, CustomerHistoryTables {}
