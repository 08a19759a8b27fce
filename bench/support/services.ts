import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { startStack, type RunningStack } from '../../src/stack/index.js';

/**
 * The real services, started or (usually) reused. stop() only stops what this process
 * started; services someone else runs keep running.
 */
export async function startServices(): Promise<RunningStack> {
  const stack = await startStack({ log: (line) => console.log(`[stack] ${line}`) });
  try {
    assertLoopback(stack);
  } catch (error) {
    await stack.stop();
    throw error;
  }
  return stack;
}

/** Runs `bench` on the services and stops what was started for it, however the bench ends. */
export async function withServices<T>(bench: (stack: RunningStack) => Promise<T>): Promise<T> {
  const stack = await startServices();
  try {
    return await bench(stack);
  } finally {
    await stack.stop();
  }
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Bench load goes to this machine only, even when DATABASE_URL & co. point elsewhere. */
function assertLoopback(stack: RunningStack): void {
  const hosts = {
    DATABASE_URL: new URL(stack.databaseUrl).hostname,
    OPENSEARCH_URL: new URL(stack.opensearchUrl).hostname,
    TEMPORAL_ADDRESS: new URL(`grpc://${stack.temporalAddress}`).hostname,
  };
  const remote = Object.entries(hosts).filter(([, host]) => !LOOPBACK.has(host));
  if (remote.length > 0) {
    throw new Error(`benches only load services on 127.0.0.1; not on: ${remote.map(([name]) => name).join(', ')}`);
  }
}

export async function adminQuery<R extends pg.QueryResultRow = pg.QueryResultRow>(
  databaseUrl: string,
  text: string,
): Promise<R[]> {
  const client = new pg.Client({ connectionString: databaseUrl, application_name: 'bench-admin' });
  await client.connect();
  try {
    return (await client.query<R>(text)).rows;
  } finally {
    await client.end();
  }
}

export function randomName(prefix: string): string {
  // Lower-case letters and digits only: safe as a database name and an index prefix.
  return `${prefix}${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
}

export interface ScratchDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** A throwaway database on the shared server; the bench must never touch the app's own. */
export async function createScratchDatabase(serverUrl: string, name = randomName('bench_')): Promise<ScratchDatabase> {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`unsafe database name ${name}`);
  await adminQuery(serverUrl, `create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    drop: () => adminQuery(serverUrl, `drop database if exists ${name} with (force)`).then(() => undefined),
  };
}

/**
 * Flushes dirty buffers before a measured phase so that a checkpoint started by an
 * earlier phase's WAL does not land in the middle of the next one.
 */
export async function checkpoint(serverUrl: string): Promise<void> {
  await adminQuery(serverUrl, 'checkpoint');
}

export async function serverVersion(serverUrl: string): Promise<string> {
  const rows = await adminQuery<{ server_version: string }>(serverUrl, 'show server_version');
  return rows[0]?.server_version ?? 'unknown';
}

export async function serverSettings(serverUrl: string): Promise<string> {
  const rows = await adminQuery<{ name: string; setting: string }>(
    serverUrl,
    `select name, setting from pg_settings
     where name in ('synchronous_commit', 'fsync', 'shared_buffers', 'max_connections', 'wal_level')
     order by name`,
  );
  return rows.map((r) => `${r.name}=${r.setting}`).join(', ');
}
