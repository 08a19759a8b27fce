import type { OrderStatusTables } from './order-status/storage.js';
import type { SupportSearchTables } from './support-search/audit.js';

/** The PostgreSQL tables of every read model, merged into the database type. */
export interface ReadModelTables extends OrderStatusTables, SupportSearchTables {}
