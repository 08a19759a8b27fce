import { readdir, readFile } from 'node:fs/promises';

/**
 * CPU per group of processes over a window, from /proc (Linux; empty elsewhere). On a box
 * where PostgreSQL, Temporal, OpenSearch, the API and the load generator share the cores,
 * this shows who had them. Only counters are read: no process is touched.
 */
export type Groups = Record<string, number>;

const TICKS_PER_SECOND = 100; // USER_HZ: 100 on every Linux build Node supports

interface Sample {
  at: number;
  ticks: Map<number, { comm: string; ticks: number }>;
}

/**
 * A process's own CPU, plus that of its children once they have exited and been reaped:
 * PostgreSQL backends that end inside the window land in the postmaster's counters. For
 * this process the children (pgbench, the load generator) are kept apart under their own pid.
 */
function ticksOf(pid: number, fields: string[]): Array<[number, number]> {
  const own = Number(fields[11]) + Number(fields[12]); // utime, stime
  const reaped = Number(fields[13]) + Number(fields[14]); // cutime, cstime
  return pid === process.pid ? [[pid, own], [-pid, reaped]] : [[pid, own + reaped]];
}

async function sample(): Promise<Sample> {
  const ticks = new Map<number, { comm: string; ticks: number }>();
  const pids = (await readdir('/proc').catch(() => [])).filter((name) => /^\d+$/.test(name));
  await Promise.all(pids.map(async (pid) => {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
    const close = stat.lastIndexOf(')');
    if (close < 0) return;
    const comm = stat.slice(stat.indexOf('(') + 1, close);
    // Fields after "pid (comm) ": utime is stat's field 14, i.e. index 11 here.
    const fields = stat.slice(close + 2).split(' ');
    for (const [key, value] of ticksOf(Number(pid), fields)) ticks.set(key, { comm, ticks: value });
  }));
  return { at: performance.now(), ticks };
}

export interface ProcessCpuWindow {
  stop(): Promise<Groups>;
}

/**
 * `named()` maps the pids the caller knows to a group; -process.pid stands for this process's
 * exited children. The rest are grouped by command name.
 */
export async function startProcessCpuWindow(named: () => Record<number, string>): Promise<ProcessCpuWindow> {
  const first = await sample();
  return {
    async stop() {
      const last = await sample();
      const names = named();
      const seconds = (last.at - first.at) / 1000;
      const groups: Groups = {};
      for (const [pid, { comm, ticks }] of last.ticks) {
        const used = ticks - (first.ticks.get(pid)?.ticks ?? 0); // started inside the window: all of it
        if (used <= 0) continue;
        const group = names[pid] ?? groupOf(comm);
        groups[group] = (groups[group] ?? 0) + used / TICKS_PER_SECOND / seconds;
      }
      return groups;
    },
  };
}

function groupOf(comm: string): string {
  if (comm.startsWith('postgres')) return 'postgres';
  if (comm === 'java') return 'opensearch (java)';
  if (comm.startsWith('temporal')) return 'temporal server';
  if (comm === 'pgbench') return 'pgbench';
  // Anything else (another node process, a test run on the same box) shows up by name.
  return `other: ${comm}`;
}

export function formatGroups(groups: Groups): string {
  const entries = Object.entries(groups).filter(([, cores]) => cores >= 0.02).sort((a, b) => b[1] - a[1]);
  return entries.length === 0 ? 'n/a' : entries.map(([group, cores]) => `${group} ${cores.toFixed(2)}`).join(', ');
}
