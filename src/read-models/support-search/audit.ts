import type { Generated, Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { Database, Timestamp } from '../../db/schema.js';

/**
 * One row per order whose email and phone were shown unmasked: who, when, which order and
 * why. Never the data itself, so the audit trail holds no personal data to protect.
 */
export interface PersonalDataRevealTable {
  id: Generated<string>;
  caller_id: string;
  revealed_at: Timestamp;
  order_id: string;
  reason: string;
}

export interface SupportSearchTables {
  personal_data_reveals: PersonalDataRevealTable;
}

/** Frozen in time like every migration: never import app code. */
const personalDataReveals: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('personal_data_reveals')
      .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
      .addColumn('caller_id', 'text', (c) => c.notNull())
      .addColumn('revealed_at', 'timestamptz', (c) => c.notNull())
      .addColumn('order_id', 'uuid', (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('personal_data_reveals_order_idx').on('personal_data_reveals').columns(['order_id', 'revealed_at']).execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.dropTable('personal_data_reveals').execute();
  },
};

export const supportSearchMigrations: Record<string, Migration> = {
  '2026_11_28_0013_personal_data_reveals': personalDataReveals,
};

export interface Reveal {
  callerId: string;
  at: Date;
  orderIds: readonly string[];
  reason: string;
}

/** Written before the unmasked answer leaves: a reveal that cannot be audited is not answered. */
export async function recordReveal(db: Kysely<Database>, reveal: Reveal): Promise<void> {
  if (reveal.orderIds.length === 0) return;
  await db
    .insertInto('personal_data_reveals')
    .values(reveal.orderIds.map((orderId) => ({ caller_id: reveal.callerId, revealed_at: reveal.at, order_id: orderId, reason: reveal.reason })))
    .execute();
}
