import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';
import type { ReadModelTables } from '../read-models/tables.js';

/** Timestamps are written as Date or ISO strings and read back as Date. */
export type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Json<T> = ColumnType<T, string, string>;

export interface ProductTable {
  sku: string;
  name: string;
  price_cents: number;
  currency: string;
  stock: number;
  /** Starts at 1; a trigger adds one on every update (the product's ETag). */
  version: Generated<number>;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface OrderTable {
  id: string;
  customer_id: string;
  status: string;
  version: number;
  total_cents: number;
  currency: string;
  state: Json<unknown>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface OrderItemTable {
  order_id: string;
  sku: string;
  name: string;
  quantity: number;
  unit_price_cents: number;
  line_total_cents: number;
}

export interface OutboxEventTable {
  position: Generated<number>;
  event_id: string;
  tx_id: Generated<string>;
  aggregate_type: string;
  aggregate_id: string;
  aggregate_version: number;
  event_type: string;
  payload: Json<unknown>;
  occurred_at: Timestamp;
  batch_id: number | null;
  /** Dense, gap-free claim order, assigned when the relay claims the event. */
  log_position: number | null;
}

export interface OutboxInstanceTable {
  singleton: Generated<boolean>;
  instance_id: Generated<string>;
}

export interface OutboxBatchTable {
  id: Generated<number>;
  event_count: number;
  first_position: number;
  last_position: number;
  claimed_at: Generated<Date>;
  dispatched_at: Date | null;
  completed_at: Date | null;
  dispatch_error: string | null;
}

export interface IdempotencyKeyTable {
  caller: string;
  key: string;
  request_hash: string;
  state: 'in_flight' | 'completed';
  response_status: number | null;
  response_headers: Json<Record<string, string> | null> | null;
  response_body: Json<unknown> | null;
  locked_until: Timestamp;
  created_at: Generated<Date>;
  expires_at: Timestamp;
}

export interface ProcessedProjectionEventTable {
  projection: string;
  event_id: string;
  aggregate_id: string;
  aggregate_version: number;
  processed_at: Generated<Date>;
}

/** Events claimed so far: the head of the claim-ordered log. */
export interface OutboxLogTable {
  singleton: Generated<boolean>;
  head: number;
}

export interface ReadModelCheckpointTable {
  read_model: string;
  position: number;
  updated_at: Generated<Date>;
  /** Events applied, counted by the projection activity (see src/read-models/status/stats.ts). */
  applied_total: Generated<number>;
  /** Activity attempts after the first. */
  retries_total: Generated<number>;
  /** An error type, SQLSTATE or constraint name: never a value from an event. */
  last_error: string | null;
  last_error_at: Date | null;
  /** When a rebuild last swapped the model in; batches that failed for it before then are moot. */
  rebuilt_at: Date | null;
}

/** An order a read model stopped at (see src/read-models/failures/holds.ts). */
export interface ReadModelHoldTable {
  read_model: string;
  order_id: string;
  event_id: string;
  version: number;
  event_type: string;
  failure_type: string;
  reason: string;
  since: Generated<Date>;
}

/** The shared tables; each read model declares its own in its folder. */
export interface Database extends ReadModelTables {
  products: ProductTable;
  orders: OrderTable;
  order_items: OrderItemTable;
  outbox_events: OutboxEventTable;
  /** Outbox rows moved out of the relay's way (every one claimed), partitioned by log position. */
  event_log: OutboxEventTable;
  /** A view: outbox_events and event_log together, the whole log. */
  outbox_log_events: OutboxEventTable;
  outbox_instance: OutboxInstanceTable;
  outbox_batches: OutboxBatchTable;
  idempotency_keys: IdempotencyKeyTable;
  processed_projection_events: ProcessedProjectionEventTable;
  outbox_log: OutboxLogTable;
  read_model_checkpoints: ReadModelCheckpointTable;
  read_model_holds: ReadModelHoldTable;
}

export type Product = Selectable<ProductTable>;
export type NewOutboxEvent = Insertable<OutboxEventTable>;
