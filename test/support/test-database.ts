import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { createDb, createPool, type Db } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';

async function adminQuery(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: inject('stack').databaseUrl });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

export function uniqueName(prefix = 't'): string {
  return `${prefix}${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
}

export interface TestDatabase {
  name: string;
  url: string;
  db: Db;
  drop(): Promise<void>;
}

/** A throwaway, migrated database on the shared PostgreSQL server. */
export async function createTestDatabase(name = uniqueName()): Promise<TestDatabase> {
  await adminQuery(`create database ${name}`);
  const parsed = new URL(inject('stack').databaseUrl);
  parsed.pathname = `/${name}`;
  const url = parsed.toString();
  const db = createDb(createPool({ connectionString: url, maxConnections: 10 }));
  await migrateToLatest(db);
  return {
    name,
    url,
    db,
    async drop() {
      await db.destroy().catch(() => undefined); // may already be closed by its user
      await adminQuery(`drop database if exists ${name} with (force)`);
    },
  };
}
