import { rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { inject } from 'vitest';
import type { CrashPoint } from '../../src/processes/crash-point.js';
import { createSearchClient, type SearchClient } from '../../src/search/client.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { testTokenGrants } from '../support/test-runtime.js';
import { startPart, startScript, type PartProcess } from '../scale/part-process.js';
import { measureScenario, type ScenarioReport } from './measure.js';
import { recordReport } from './report.js';
import { freePort } from '../support/free-port.js';

export type PartKind = 'api' | 'relay' | 'worker' | 'npm-start';

/** What a part prints once it serves: `npm run relay|worker|api` log `started`, `npm start` its banner. */
const READY: Record<PartKind, RegExp> = { api: /\[api\] started/, relay: /\[relay\] started/, worker: /\[worker\] started/, 'npm-start': /^API\s+http/ };
const START_TIMEOUT_MS = 120_000;

/** API_TOKENS as an operator would write it, for the test tokens the HTTP helpers send. */
function apiTokensEnv(): string {
  return [...testTokenGrants()].map(([token, grant]) => `${token}=${grant.role}${grant.customerId ? `:${grant.customerId}` : ''}`).join(',');
}

/** Private instances a scenario runs on instead of the shared ones; `databaseServerUrl` names its server's admin database. */
export interface ScenarioServices {
  databaseServerUrl?: string;
  temporalAddress?: string;
  opensearchUrl?: string;
}

/**
 * One fault scenario on the shared services: its own database, index prefix, task queue and
 * API port, and the app's parts as real child processes (`npm run api|relay|worker`, or the
 * whole `npm start`) that the scenario signals, crashes and restarts.
 */
export class FaultScenario {
  readonly parts: PartProcess[] = [];
  private constructor(
    readonly name: string,
    readonly seed: number,
    private readonly database: TestDatabase,
    readonly temporal: Client,
    readonly search: SearchClient,
    readonly env: NodeJS.ProcessEnv,
    readonly apiUrl: string,
    private readonly bundlePath: string,
  ) {}

  /** On the shared services, or on the private instances `services` names (a scenario that breaks one). */
  static async create(name: string, seed: number, services: ScenarioServices = {}): Promise<FaultScenario> {
    const shared = inject('stack');
    const database = await createTestDatabase(undefined, services.databaseServerUrl ?? shared.databaseUrl);
    const { temporalAddress = shared.temporalAddress, opensearchUrl = shared.opensearchUrl } = services;
    const bundlePath = join(tmpdir(), `${database.name}-workflows.js`);
    await writeFile(bundlePath, inject('workflowBundle'));
    const port = await freePort();
    const { CRASH_POINT: _inherited, ...inherited } = process.env;
    const env: NodeJS.ProcessEnv = {
      ...inherited, DATABASE_URL: database.url, TEMPORAL_ADDRESS: temporalAddress, OPENSEARCH_URL: opensearchUrl,
      TASK_QUEUE: `projections-${database.name}`, SEARCH_INDEX_PREFIX: database.name, WORKFLOW_BUNDLE: bundlePath,
      API_TOKENS: apiTokensEnv(), PORT: String(port), HTTP_HOST: '127.0.0.1', LOG_LEVEL: 'warn',
    };
    const temporal = new Client({ connection: await Connection.connect({ address: temporalAddress }) });
    return new FaultScenario(name, seed, database, temporal, createSearchClient(opensearchUrl), env, `http://127.0.0.1:${port}`, bundlePath);
  }

  get db() {
    return this.database.db;
  }

  get taskQueue(): string {
    return this.env.TASK_QUEUE!;
  }

  /** Starts a part and waits until it serves; `crashPoint` arms one crash point in it. */
  async start(kind: PartKind, options: { crashPoint?: CrashPoint; label?: string } = {}): Promise<PartProcess> {
    const env = options.crashPoint ? { ...this.env, CRASH_POINT: options.crashPoint } : this.env;
    const label = options.label ?? `${kind}-${this.parts.filter((p) => p.name.startsWith(kind)).length + 1}`;
    const part = kind === 'npm-start' ? startScript('src/main.ts', label, env) : startPart(kind, label, env);
    this.parts.push(part);
    await part.waitForLine(READY[kind], START_TIMEOUT_MS);
    return part;
  }

  /** Resolves with the signal that ended the part (null when it exited on its own), within the deadline. */
  async ended(part: PartProcess, timeoutMs: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${part.name} still running after ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      return await Promise.race([part.exitStatus, deadline]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Waits for the pipeline to catch up after the heal, verifies, measures, and records the row. */
  async converge(healedAt: number, details: Record<string, unknown> = {}): Promise<ScenarioReport> {
    const report = await measureScenario(this, healedAt, details);
    await recordReport(report);
    return report;
  }

  /** The last lines each part printed, for a failing scenario's message (logs carry no personal data). */
  logTail(lines = 15): string {
    return this.parts.map((part) => `--- ${part.name}\n${part.lines.slice(-lines).join('\n')}`).join('\n');
  }

  /** Runs `body` against this scenario and always closes it; on failure the parts' last lines are printed. */
  async run<T>(body: () => Promise<T>): Promise<T> {
    try {
      return await body();
    } catch (error) {
      console.error(`scenario ${this.name} (seed ${this.seed}) failed; last lines of its processes:\n${this.logTail()}`);
      throw error;
    } finally {
      await this.close();
    }
  }

  private async terminateRunningWorkflows(): Promise<void> {
    const running = this.temporal.workflow.list({ query: `TaskQueue = '${this.taskQueue}' AND ExecutionStatus = 'Running'` });
    for await (const workflow of running) {
      await this.temporal.workflow.getHandle(workflow.workflowId).terminate('scenario finished').catch(() => undefined);
    }
  }

  /** Stops every part still running, ends the scenario's workflows, drops its database and indexes. */
  async close(): Promise<void> {
    await Promise.all(this.parts.map(async (part) => {
      part.kill('SIGTERM');
      const timer = setTimeout(() => part.kill('SIGKILL'), 10_000);
      await part.exited;
      clearTimeout(timer);
    }));
    await this.terminateRunningWorkflows().catch((error: Error) => {
      // A private Temporal a failed scenario left down: its workflows go with it.
      console.warn(`scenario ${this.name}: running workflows not terminated (${error.message})`);
    });
    await this.temporal.connection.close();
    await this.database.drop();
    await this.search.indices.delete({ index: `${this.database.name}-*` }).catch(() => undefined);
    await this.search.close();
    await rm(this.bundlePath, { force: true });
  }
}
