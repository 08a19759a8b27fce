import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { createDb, createPool, type Db } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';

async function adminQuery(text: string, serverUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
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

/** A throwaway, migrated database on the shared PostgreSQL server, or on the one `serverUrl` names. */
export async function createTestDatabase(name = uniqueName(), serverUrl = inject('stack').databaseUrl): Promise<TestDatabase> {
  await adminQuery(`create database ${name}`, serverUrl);
  const parsed = new URL(serverUrl);
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
      await adminQuery(`drop database if exists ${name} with (force)`, serverUrl);
    },
  };
}
