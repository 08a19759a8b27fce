/**
 * `npm run read-model:rebuild -- <name>`: starts the rebuild workflow of one read model (or
 * follows the one already running), prints its id, then its progress until it is done.
 * Exit status: 0 when swapped in, 1 when the workflow failed, 2 when it could not start.
 */
import { Client, Connection } from '@temporalio/client';
import { loadConfig } from '../../config.js';
import { createDb, createPool } from '../../db/database.js';
import { postgresService } from '../../stack/postgres.js';
import type { ServiceDefinition } from '../../stack/service.js';
import { temporalService } from '../../stack/temporal.js';
import { describeError } from '../../stack/wait.js';
import type { RebuildProgress } from '../../../workflows/rebuild-read-model.js';
import { findReadModel, readModelNames } from '../registry.js';
import { startRebuild } from './start.js';

const POLL_MS = 1_000;

async function runningService<E>(def: ServiceDefinition<E>): Promise<E> {
  const fromEnv = process.env[def.envVar]?.trim();
  const endpoints = fromEnv ? def.fromEnv(fromEnv) : await def.local();
  const healthy = endpoints !== undefined && (await def.probe(endpoints).catch(() => false));
  if (!healthy) throw new Error(`no ${def.service} reachable: set ${def.envVar}, or start the project's services (npm run stack)`);
  return endpoints;
}

function line(p: RebuildProgress): string {
  return `${p.readModel}: ${p.phase}, position ${p.position} of ${p.head}, ${p.applied} events replayed, run ${p.runs}`;
}

async function follow(client: Client, workflowId: string): Promise<number> {
  const handle = client.workflow.getHandle(workflowId);
  for (;;) {
    const { status } = await handle.describe();
    if (status.name !== 'RUNNING') break;
    console.log(line(await handle.query<RebuildProgress>('progress')));
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  const result = await handle.result().catch((error: unknown) => error as Error);
  if (result instanceof Error) {
    console.error(`rebuild failed: ${describeError(result)}`);
    return 1;
  }
  console.log(`${line(result as RebuildProgress)}: swapped in`);
  return 0;
}

async function main(): Promise<number> {
  const name = process.argv[2];
  if (!name || !findReadModel(name)) {
    console.error(`usage: npm run read-model:rebuild -- <${readModelNames().join('|')}>`);
    return 2;
  }
  const config = loadConfig();
  const [{ databaseUrl }, temporalEndpoint] = await Promise.all([runningService(postgresService()), runningService(temporalService())]);
  const db = createDb(createPool({ connectionString: databaseUrl, maxConnections: 2, applicationName: 'cqrs-orders-rebuild-cli' }));
  const connection = await Connection.connect({ address: temporalEndpoint.temporalAddress });
  try {
    const client = new Client({ connection, namespace: config.temporalNamespace });
    const { workflowId, started } = await startRebuild(client, db, name, { taskQueue: config.taskQueue, ...config.rebuild });
    console.log(`${started ? 'started' : 'already running'}: ${workflowId}`);
    return await follow(client, workflowId);
  } finally {
    await Promise.allSettled([db.destroy(), connection.close()]);
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`read-model:rebuild: ${describeError(error)}`);
    process.exit(2);
  },
);
