import { spawn } from 'node:child_process';
import { readdir, readlink } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { waitFor } from '../../src/stack/wait.js';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const probePath = fileURLToPath(new URL('./probe.mjs', import.meta.url));

/** What probe.mjs prints, after this prefix, as JSON. */
const PROBE_PREFIX = '[soak-probe] ';

export interface ProbeReading {
  rssBytes: number;
  heapUsedBytes: number;
  /** Live libuv handles and requests: sockets, timers, servers, file handles. */
  activeResources: number;
}

export type PartName = 'api' | 'relay' | 'worker';

/** One `npm run api|relay|worker`, spawned as node with tsx (as npm would) plus the probe. */
export interface SoakPart {
  readonly name: PartName;
  readonly pid: number;
  /** Its latest probe reading, if it printed one yet. */
  latest(): ProbeReading | undefined;
  /** The last lines it printed that were not probe readings. */
  tail(lines: number): string[];
  /** Set once it ended: a part that exits during a soak is an error. */
  exit(): { code: number | null; signal: NodeJS.Signals | null } | undefined;
  stop(graceMs?: number): Promise<void>;
}

const READY = /started/;
const START_TIMEOUT_MS = 120_000;
const KEPT_LINES = 200;

export async function startPart(name: PartName, env: NodeJS.ProcessEnv, probeMs: number): Promise<SoakPart> {
  const child = spawn(process.execPath, ['--import', 'tsx', '--import', probePath, `src/processes/${name}-main.ts`], {
    cwd: repoRoot, env: { ...env, SOAK_PROBE_MS: String(probeMs) }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let reading: ProbeReading | undefined;
  let ended: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  const exited = new Promise<void>((resolve) => child.once('exit', (code, signal) => { ended = { code, signal }; resolve(); }));
  const collect = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
      if (line.startsWith(PROBE_PREFIX)) reading = JSON.parse(line.slice(PROBE_PREFIX.length)) as ProbeReading;
      else {
        lines.push(line);
        if (lines.length > KEPT_LINES) lines.shift();
      }
    }
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  await waitFor(async () => {
    if (ended) throw new Error(`${name} exited while starting: ${lines.slice(-5).join(' | ')}`);
    return lines.some((line) => line.startsWith(`[${name}]`) && READY.test(line)) || undefined;
  }, { timeoutMs: START_TIMEOUT_MS, intervalMs: 100, description: `${name} to start` });
  return {
    name, pid: child.pid!,
    latest: () => reading,
    tail: (n) => lines.slice(-n),
    exit: () => ended,
    async stop(graceMs = 15_000) {
      if (ended) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Open file descriptors of a process, and how many of them are sockets (Linux /proc; zeros elsewhere). */
export async function openDescriptors(pid: number): Promise<{ fds: number; sockets: number }> {
  const dir = `/proc/${pid}/fd`;
  const entries = await readdir(dir).catch(() => [] as string[]);
  const targets = await Promise.all(entries.map((fd) => readlink(`${dir}/${fd}`).catch(() => '')));
  return { fds: entries.length, sockets: targets.filter((t) => t.startsWith('socket:')).length };
}
