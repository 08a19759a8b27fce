import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.js';

export type Db = Kysely<Database>;

const INT8_OID = 20;

/**
 * bigint columns hold money in cents and outbox positions; both stay below 2^53, and
 * reading them as numbers keeps arithmetic honest. A larger value is a bug: fail loudly.
 */
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8_OID) {
      return (value: string) => {
        const parsed = Number(value);
        if (!Number.isSafeInteger(parsed)) throw new Error(`int8 value ${value} exceeds 2^53`);
        return parsed;
      };
    }
    return pg.types.getTypeParser(oid, format);
  },
};

export interface DatabaseOptions {
  connectionString: string;
  maxConnections?: number;
  applicationName?: string;
  /** Schemas searched for unqualified names, first to last (a rebuild's shadow schema, then public). */
  searchPath?: readonly string[];
}

export function createPool(options: DatabaseOptions): pg.Pool {
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.maxConnections ?? 20,
    application_name: options.applicationName ?? 'cqrs-orders',
    ...(options.searchPath ? { options: `-c search_path=${options.searchPath.join(',')}` } : {}),
    types,
  });
  // An idle connection dropped by the server (restart, failover) is discarded by the pool;
  // without a listener Node would treat it as an uncaught error and stop the process.
  pool.on('error', (error) => console.warn(`database: idle connection lost (${(error as { code?: string }).code ?? error.message})`));
  // A connection lost while checked out (its session terminated between two statements of a
  // transaction) fails that transaction's next statement; the event itself must not stop the process.
  pool.on('connect', (client) => client.on('error', () => undefined));
  return pool;
}

export function createDb(pool: pg.Pool): Db {
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}
