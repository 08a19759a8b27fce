import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { open } from 'node:fs/promises';

export interface SpawnServiceOptions {
  logFile: string;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  uid?: number;
  gid?: number;
  /** The signal that means "clean, fast shutdown" to this server. */
  stopSignal?: NodeJS.Signals;
}

export interface ServiceChild {
  readonly pid: number;
  /** Resolves with a human description once the process has exited. */
  readonly exited: Promise<string>;
  /** Graceful signal, then SIGKILL to the whole process group after `timeoutMs`. */
  stop(timeoutMs: number): Promise<void>;
}

/** Owned servers still running, with their shutdown signal, for the exit hook. */
const live = new Map<number, NodeJS.Signals>();
let exitHookInstalled = false;

/**
 * Starts a server in its own process group with output in `logFile`
 * (truncated per start, so its tail is about this run).
 */
export function spawnService(command: string, args: readonly string[], options: SpawnServiceOptions): ServiceChild {
  const { logFile, stopSignal = 'SIGTERM', ...spawnOptions } = options;
  const fd = openSync(logFile, 'w', 0o600);
  const child = (() => {
    try {
      // Own process group: a terminal Ctrl-C reaches only us, so we choose the shutdown order.
      return spawn(command, args, { ...spawnOptions, detached: true, stdio: ['ignore', fd, fd] });
    } finally {
      closeSync(fd);
    }
  })();
  const exited = new Promise<string>((resolve) => {
    child.on('error', (error) => resolve(`could not be started: ${error.message}`));
    child.on('exit', (code, signal) => resolve(signal ? `was killed by ${signal}` : `exited with code ${code}`));
  });
  const pid = child.pid;
  if (pid === undefined) return { pid: -1, exited, stop: async () => undefined };
  live.set(pid, stopSignal);
  void exited.then(() => live.delete(pid));
  installExitHook();
  let stopping: Promise<void> | undefined;
  return { pid, exited, stop: (timeoutMs) => (stopping ??= stopChild(pid, stopSignal, exited, timeoutMs)) };
}

async function stopChild(pid: number, signal: NodeJS.Signals, exited: Promise<string>, timeoutMs: number): Promise<void> {
  if (live.has(pid)) signalQuietly(pid, signal);
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
  const outcome = await Promise.race([exited, deadline]);
  clearTimeout(timer);
  // Whatever is left in the group (e.g. postgres backends) goes with the leader.
  signalQuietly(-pid, 'SIGKILL');
  if (outcome === 'timeout') await exited;
}

function signalQuietly(target: number, signal: NodeJS.Signals): void {
  try {
    process.kill(target, signal);
  } catch {
    // already gone
  }
}

/**
 * If our process exits without stop() (a crashed test run, process.exit),
 * ask owned servers to shut down rather than leave them running unowned.
 */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const [pid, signal] of live) signalQuietly(pid, signal);
  });
}

/** The last lines of a log, to put the server's own explanation into an error. */
export async function tailOfLog(path: string, maxLines = 25): Promise<string> {
  try {
    const file = await open(path, 'r');
    try {
      const { size } = await file.stat();
      const length = Math.min(size, 8192);
      const buffer = Buffer.alloc(length);
      await file.read(buffer, 0, length, size - length);
      const lines = buffer.toString('utf8').trimEnd().split('\n').slice(-maxLines);
      // Java servers log lines of several kB (e.g. all JVM arguments).
      return lines.map((line) => (line.length > 400 ? `${line.slice(0, 400)}…` : line)).join('\n');
    } finally {
      await file.close();
    }
  } catch {
    return '(no log output)';
  }
}
