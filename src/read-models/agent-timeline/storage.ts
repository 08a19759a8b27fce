import { sql, type ColumnType, type Generated, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { Timestamp } from '../../db/schema.js';
import type { StoredEntries } from './document.js';

/**
 * One row per order: its whole timeline as one JSONB document, read with a single key
 * lookup. `entries` is keyed by version, so a replayed event merges onto itself.
 */
export interface AgentTimelineTable {
  order_id: string;
  /** Created empty, then written whole by the projection. */
  entries: ColumnType<StoredEntries, string | undefined, string>;
  contiguous_version: Generated<number>;
  max_version: Generated<number>;
  last_event_id: string | null;
  last_event_at: Timestamp | null;
  projected_at: Timestamp | null;
}

export interface AgentTimelineTables {
  agent_timeline: AgentTimelineTable;
}

/** Frozen in time like every migration: never import app code. */
const agentTimeline: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('agent_timeline')
      .addColumn('order_id', 'uuid', (c) => c.primaryKey())
      .addColumn('entries', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
      .addColumn('contiguous_version', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('max_version', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('last_event_id', 'uuid')
      .addColumn('last_event_at', 'timestamptz')
      .addColumn('projected_at', 'timestamptz')
      .execute();
    // Held orders (an entry waits behind a gap) are few; operations list them often.
    await db.schema
      .createIndex('agent_timeline_held_idx').on('agent_timeline').column('order_id')
      .where(sql<boolean>`max_version > contiguous_version`)
      .execute();
  },
  async down(db: Kysely<any>) {
    await db.schema.dropTable('agent_timeline').execute();
  },
};

export const agentTimelineMigrations: Record<string, Migration> = {
  '2026_11_28_0011_agent_timeline': agentTimeline,
};
