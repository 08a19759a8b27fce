import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { waitFor } from '../../src/stack/wait.js';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** One `npm run relay|worker` process, spawned as node with tsx so that a signal reaches it directly. */
export interface PartProcess {
  readonly name: string;
  readonly pid: number;
  /** Every line it printed, stdout and stderr, in order. */
  readonly lines: string[];
  readonly exited: Promise<number | null>;
  /** How it ended: its exit code, or the signal that killed it. */
  readonly exitStatus: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The first printed line (at or after `from`) matching `pattern`, within the deadline. */
  waitForLine(pattern: RegExp, timeoutMs: number, from?: number): Promise<string>;
  kill(signal: NodeJS.Signals): void;
}

export function startPart(part: 'relay' | 'worker' | 'api', name: string, env: NodeJS.ProcessEnv): PartProcess {
  return startScript(`src/processes/${part}-main.ts`, name, env);
}

/** Any entry point of the repository (`src/main.ts` is `npm start`), spawned the same way. */
export function startScript(script: string, name: string, env: NodeJS.ProcessEnv): PartProcess {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', script], {
    cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const collect = (chunk: Buffer) => lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const exitStatus = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const exited = exitStatus.then(({ code }) => code);
  let running = true;
  void exited.then(() => (running = false));
  return {
    name, pid: child.pid!, lines, exited, exitStatus,
    waitForLine: (pattern, timeoutMs, from = 0) => waitFor(async () => {
      const found = lines.slice(from).find((line) => pattern.test(line));
      if (!found && !running) throw new Error(`${name} exited: ${lines.slice(-5).join(' | ')}`);
      return found;
    }, { timeoutMs, intervalMs: 50, description: `${name} to print ${pattern}` }),
    kill: (signal) => {
      if (running) child.kill(signal);
    },
  };
}

/** SIGTERM, then SIGKILL for whatever has not exited within the grace period. */
export async function stopParts(parts: PartProcess[], graceMs = 10_000): Promise<void> {
  await Promise.all(parts.map(async (part) => {
    part.kill('SIGTERM');
    const timer = setTimeout(() => part.kill('SIGKILL'), graceMs);
    await part.exited;
    clearTimeout(timer);
  }));
}
