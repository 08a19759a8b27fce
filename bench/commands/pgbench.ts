import { execFile, spawn } from 'node:child_process';
import { access, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { constants } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { PrerequisiteMissing } from '../support/main.js';
import type { LoadResult } from './load-result.js';
import { readLogs, summaryLine, windowed } from './pgbench-log.js';
import type { PgbenchPayloads } from './pgbench-payloads.js';

export const PGBENCH = '/usr/bin/pgbench';

/** Fails fast, before any service is touched, with the way to get pgbench. */
export async function requirePgbench(): Promise<string> {
  try {
    await access(PGBENCH, constants.X_OK);
  } catch {
    throw new PrerequisiteMissing(
      `${PGBENCH} not found: the baseline needs pgbench.\n` +
        'Install it with: sudo apt-get install postgresql-client   (Debian/Ubuntu package postgresql-client)',
    );
  }
  return new Promise((resolve) => execFile(PGBENCH, ['--version'], (error, stdout) => resolve(error ? 'pgbench (version unknown)' : stdout.trim())));
}

export interface PgbenchPlan {
  databaseUrl: string;
  script: string;
  payloads: PgbenchPayloads;
  clients: number;
  warmupSeconds: number;
  seconds: number;
}

/** Connection settings through libpq's environment: the password never appears in argv. */
function libpqEnv(databaseUrl: string): NodeJS.ProcessEnv {
  const url = new URL(databaseUrl);
  return {
    ...process.env,
    PGHOST: url.hostname,
    PGPORT: url.port || '5432',
    PGUSER: decodeURIComponent(url.username),
    PGPASSWORD: decodeURIComponent(url.password),
    PGDATABASE: url.pathname.slice(1),
    PGAPPNAME: 'bench-pgbench',
  };
}

function args(plan: PgbenchPlan, scriptFile: string, logPrefix: string): string[] {
  const { payloads } = plan;
  return [
    '--no-vacuum', '--protocol=extended',
    `--client=${plan.clients}`, `--jobs=${Math.min(2, plan.clients)}`,
    // One second past the window, so that the window is fully covered at full concurrency.
    `--time=${plan.warmupSeconds + plan.seconds + 1}`,
    '--log', `--log-prefix=${logPrefix}`, `--file=${scriptFile}`,
    '-D', `state=${payloads.state}`, '-D', `payload=${payloads.payload}`,
    '-D', `rheaders=${payloads.responseHeaders}`, '-D', `rbody=${payloads.responseBody}`,
  ];
}

function run(plan: PgbenchPlan, argv: string[]): Promise<string> {
  const child = spawn(PGBENCH, argv, { env: libpqEnv(plan.databaseUrl), stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const deadline = setTimeout(() => child.kill('SIGKILL'), (plan.warmupSeconds + plan.seconds + 60) * 1000);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(deadline);
      if (code === 0) resolve(output);
      else reject(new Error(`pgbench exited with code ${code}:\n${output.split('\n').slice(-15).join('\n')}`));
    });
  });
}

/** Runs pgbench and measures it exactly as the API side: completions inside the window. */
export async function runPgbench(plan: PgbenchPlan): Promise<LoadResult> {
  const dir = await mkdtemp(join(os.tmpdir(), 'bench-pgbench-'));
  try {
    const scriptFile = join(dir, 'place-order.sql');
    await writeFile(scriptFile, plan.script);
    const output = await run(plan, args(plan, scriptFile, join(dir, 'tx')));
    const records = await readLogs(dir);
    return windowed(records, plan, summaryLine(output));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
