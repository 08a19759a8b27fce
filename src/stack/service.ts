import { connect } from 'node:net';
import { spawnService, tailOfLog, type SpawnServiceOptions } from './child.js';
import { ensureSharedDir, envValue, logFile, logsDir } from './paths.js';
import { describeError, waitFor, type WaitOptions } from './wait.js';

export type ServiceName = 'postgres' | 'temporal' | 'opensearch';
export type Log = (line: string) => void;

export interface ServiceTiming {
  service: ServiceName;
  source: 'env' | 'reused' | 'started';
  provisionMs: number;
  startMs: number;
}

export interface Launch<E> {
  endpoints: E;
  command: string;
  args: string[];
  options: Omit<SpawnServiceOptions, 'logFile'>;
  stopTimeoutMs: number;
}

/** What differs between services; the env → reuse → start flow is shared. */
export interface ServiceDefinition<E> {
  service: ServiceName;
  envVar: string;
  port: number;
  startTimeoutMs: number;
  fromEnv(value: string): E;
  /** Endpoints of an instance on the default port, if we know how to talk to one. */
  local(): Promise<E | undefined>;
  /** One bounded health check; throws or returns false when not healthy. */
  probe(endpoints: E): Promise<boolean>;
  /** Runs on reused and started instances (e.g. create the database). */
  prepare?(endpoints: E): Promise<void>;
  /** Download/install/initialise; idempotent. */
  provision(log: Log, signal: AbortSignal): Promise<void>;
  launch(log: Log): Promise<Launch<E>>;
}

export interface Provided<E> {
  endpoints: E;
  timing: ServiceTiming;
  stop(): Promise<void>;
}

export async function provide<E>(def: ServiceDefinition<E>, log: Log, signal: AbortSignal): Promise<Provided<E>> {
  const say: Log = (line) => log(`${def.service}: ${line}`);
  const began = performance.now();
  const fromEnv = envValue(def.envVar);
  if (fromEnv !== undefined) {
    const endpoints = def.fromEnv(fromEnv);
    say(`using ${def.envVar}, waiting for it to be healthy`);
    await waitFor(() => def.probe(endpoints), healthWait(def, `${def.envVar} to be healthy`, signal));
    return notOwned(def.service, 'env', endpoints, began);
  }
  // A closed port is answered at once; a protocol probe (gRPC) might wait for its timeout.
  if (!(await portOpen(def.port))) return startOwned(def, say, signal);
  const local = await def.local();
  const reuseError = local === undefined ? 'no stored credentials' : await reuseProbe(def, local, signal);
  if (local === undefined || reuseError !== undefined) {
    throw new Error(
      `port ${def.port} is taken by something that is not a usable ${def.service} ` +
        `(${reuseError}). Stop it, or point ${def.envVar} at a running instance.`,
    );
  }
  await def.prepare?.(local);
  say(`reusing the instance already on port ${def.port}`);
  return notOwned(def.service, 'reused', local, began);
}

async function startOwned<E>(def: ServiceDefinition<E>, say: Log, signal: AbortSignal): Promise<Provided<E>> {
  const provisionStart = performance.now();
  await def.provision(say, signal);
  const provisionMs = performance.now() - provisionStart;
  const launchStart = performance.now();
  await ensureSharedDir(logsDir);
  const launch = await def.launch(say);
  const log = logFile(def.service);
  const child = spawnService(launch.command, launch.args, { ...launch.options, logFile: log });
  say(`started (pid ${child.pid}), waiting for it to be healthy; log: ${log}`);
  const exited = new AbortController();
  void child.exited.then((how) => exited.abort(new Error(`${def.service} ${how}`)));
  try {
    const waitSignal = AbortSignal.any([signal, exited.signal]);
    await waitFor(() => def.probe(launch.endpoints), healthWait(def, `${def.service} to be healthy`, waitSignal));
    await def.prepare?.(launch.endpoints);
  } catch (error) {
    await child.stop(launch.stopTimeoutMs);
    if (signal.aborted) throw error; // cancelled: the server's log explains nothing
    const tail = await tailOfLog(log);
    throw new Error(`${describeError(error)}\n--- last lines of ${log} ---\n${tail}`, { cause: error });
  }
  const startMs = performance.now() - launchStart;
  say(`healthy after ${(startMs / 1000).toFixed(1)} s`);
  return {
    endpoints: launch.endpoints,
    timing: { service: def.service, source: 'started', provisionMs: Math.round(provisionMs), startMs: Math.round(startMs) },
    stop: () => child.stop(launch.stopTimeoutMs),
  };
}

function healthWait<E>(def: ServiceDefinition<E>, description: string, signal: AbortSignal): WaitOptions {
  return { timeoutMs: def.startTimeoutMs, intervalMs: 500, description, signal };
}

function notOwned<E>(service: ServiceName, source: 'env' | 'reused', endpoints: E, began: number): Provided<E> {
  const startMs = Math.round(performance.now() - began);
  return { endpoints, timing: { service, source, provisionMs: 0, startMs }, stop: async () => undefined };
}

/** A short grace period covers an instance that another process is just starting. */
async function reuseProbe<E>(def: ServiceDefinition<E>, endpoints: E, signal: AbortSignal): Promise<string | undefined> {
  const options = { timeoutMs: 5000, intervalMs: 500, description: `the ${def.service} on port ${def.port}`, signal };
  try {
    await waitFor(() => def.probe(endpoints), options);
    return undefined;
  } catch (error) {
    return describeError(error);
  }
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port, timeout: 1000 });
    const finish = (open: boolean): void => {
      socket.destroy();
      resolve(open);
    };
    socket.once('connect', () => finish(true));
    socket.once('timeout', () => finish(false));
    socket.once('error', () => finish(false));
  });
}
