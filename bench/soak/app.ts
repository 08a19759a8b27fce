import { randomBytes } from 'node:crypto';
import { rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import type { RunningStack } from '../../src/stack/index.js';
import type { Tokens } from '../support/bench-runtime.js';
import { deleteIndices } from '../support/bench-runtime.js';
import { createScratchDatabase, type ScratchDatabase } from '../support/services.js';
import { workflowBundle } from '../support/temporal.js';
import { startPart, type PartName, type SoakPart } from './parts.js';
import { freePort } from '../../test/support/free-port.js';

export const PART_NAMES: readonly PartName[] = ['api', 'relay', 'worker'];

/** The app as `npm run api`, `npm run relay` and `npm run worker`, each its own process, on a throwaway database. */
export interface SoakApp {
  url: string;
  tokens: Tokens;
  database: ScratchDatabase;
  searchIndexPrefix: string;
  parts: SoakPart[];
  cleanup(): Promise<void>;
}

function freshTokens(): Tokens {
  const token = (role: string) => `soak-${role}-${randomBytes(16).toString('hex')}`;
  return { client: token('client'), support: token('support'), operator: token('operator') };
}

function partEnv(stack: RunningStack, database: ScratchDatabase, tokens: Tokens, bundlePath: string, port: number): NodeJS.ProcessEnv {
  const { CRASH_POINT: _never, ...inherited } = process.env;
  return {
    ...inherited, DATABASE_URL: database.url, TEMPORAL_ADDRESS: stack.temporalAddress, OPENSEARCH_URL: stack.opensearchUrl,
    TASK_QUEUE: `projections-${database.name}`, SEARCH_INDEX_PREFIX: database.name, WORKFLOW_BUNDLE: bundlePath,
    API_TOKENS: Object.entries(tokens).map(([role, token]) => `${token}=${role}`).join(','),
    PORT: String(port), HTTP_HOST: '127.0.0.1', LOG_LEVEL: 'warn',
  };
}

/** The API first (it migrates), then the relay and the worker. */
export async function startSoakApp(stack: RunningStack, probeMs: number): Promise<SoakApp> {
  const database = await createScratchDatabase(stack.databaseUrl);
  const bundlePath = join(tmpdir(), `${database.name}-workflows.js`);
  const tokens = freshTokens();
  const port = await freePort();
  const parts: SoakPart[] = [];
  const app: SoakApp = {
    url: `http://127.0.0.1:${port}`, tokens, database, searchIndexPrefix: database.name, parts,
    cleanup: () => cleanup(stack, app, bundlePath),
  };
  try {
    await writeFile(bundlePath, (await workflowBundle()).code);
    const env = partEnv(stack, database, tokens, bundlePath, port);
    parts.push(await startPart('api', env, probeMs));
    parts.push(...(await Promise.all([startPart('relay', env, probeMs), startPart('worker', env, probeMs)])));
  } catch (error) {
    await app.cleanup();
    throw error;
  }
  return app;
}

async function step(what: string, action: () => Promise<unknown>): Promise<void> {
  await action().catch((error: unknown) => console.warn(`cleanup: ${what} failed: ${error instanceof Error ? error.message : String(error)}`));
}

/** With the worker gone, a batch still running would stay open forever. */
async function terminateRunning(temporalAddress: string, taskQueue: string): Promise<void> {
  const connection = await Connection.connect({ address: temporalAddress });
  try {
    const client = new Client({ connection });
    for await (const workflow of client.workflow.list({ query: `TaskQueue = '${taskQueue}' AND ExecutionStatus = 'Running'` })) {
      await client.workflow.getHandle(workflow.workflowId).terminate('soak finished').catch(() => undefined);
    }
  } finally {
    await connection.close();
  }
}

async function cleanup(stack: RunningStack, app: SoakApp, bundlePath: string): Promise<void> {
  await step('stopping the processes', () => Promise.all(app.parts.map((part) => part.stop())));
  await step('terminating workflows', () => terminateRunning(stack.temporalAddress, `projections-${app.database.name}`));
  await step('deleting the search indices', () => deleteIndices(stack.opensearchUrl, `${app.searchIndexPrefix}-*`));
  await step('dropping the database', () => app.database.drop());
  await rm(bundlePath, { force: true });
}
