import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

/** Timestamps are written as Date or ISO strings and read back as Date. */
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Json<T> = ColumnType<T, string, string>;

export interface ProductTable {
  sku: string;
  name: string;
  price_cents: number;
  currency: string;
  stock: number;
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

export interface OrderSummaryTable {
  order_id: string;
  customer_id: string;
  status: string;
  payment_state: string;
  refund_state: string;
  total_cents: number;
  refunded_cents: number;
  currency: string;
  region: string;
  payment_provider: string;
  item_count: number;
  placed_at: Timestamp;
  source_version: number;
  last_event_id: string;
  last_event_at: Timestamp;
  projected_at: Timestamp;
}

export interface Database {
  products: ProductTable;
  orders: OrderTable;
  order_items: OrderItemTable;
  outbox_events: OutboxEventTable;
  outbox_instance: OutboxInstanceTable;
  outbox_batches: OutboxBatchTable;
  idempotency_keys: IdempotencyKeyTable;
  processed_projection_events: ProcessedProjectionEventTable;
  order_summary: OrderSummaryTable;
}

export type Product = Selectable<ProductTable>;
export type NewOutboxEvent = Insertable<OutboxEventTable>;
export type OrderSummaryRow = Selectable<OrderSummaryTable>;
