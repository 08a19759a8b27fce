import type { AgentTimelineTables } from './agent-timeline/storage.js';
import type { CustomerHistoryTables } from './customer-history/storage.js';
import type { OpsDashboardTables } from './ops-dashboard/storage.js';
import type { OrderStatusTables } from './order-status/storage.js';
import type { SupportSearchTables } from './support-search/audit.js';

/** The PostgreSQL tables of every read model, merged into the database type. */
export interface ReadModelTables extends OrderStatusTables, CustomerHistoryTables, SupportSearchTables, AgentTimelineTables, OpsDashboardTables {}
