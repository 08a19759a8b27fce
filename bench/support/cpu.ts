import { readFile } from 'node:fs/promises';
import { formatGroups, startProcessCpuWindow, type Groups } from './process-cpu.js';

/**
 * CPU use over a window: how busy the machine was and which processes had the cores.
 * On a small box the question is usually "who had the cores".
 */
export interface CpuWindow {
  stop(): Promise<CpuUsage>;
}

export interface CpuUsage {
  /** Share of all cores that were busy, 0..1; NaN where /proc/stat is unavailable. */
  machineBusy: number;
  /** Cores' worth of CPU per group of processes (1.0 = one core busy all the time). */
  groups: Groups;
}

async function machineTicks(): Promise<{ busy: number; total: number } | null> {
  try {
    const first = (await readFile('/proc/stat', 'utf8')).split('\n', 1)[0] ?? '';
    const fields = first.trim().split(/\s+/).slice(1).map(Number);
    const total = fields.reduce((a, b) => a + b, 0);
    const idle = (fields[3] ?? 0) + (fields[4] ?? 0); // idle + iowait
    return { busy: total - idle, total };
  } catch {
    return null;
  }
}

/** `self` names this process, `children` its child processes that exit inside the window. */
export async function startCpuWindow(labels: { self: string; children: string }): Promise<CpuWindow> {
  const machineStart = await machineTicks();
  const processes = await startProcessCpuWindow(() => ({ [process.pid]: labels.self, [-process.pid]: labels.children }));
  return {
    async stop() {
      const groups = await processes.stop();
      const machineEnd = await machineTicks();
      const machineBusy = machineStart && machineEnd
        ? (machineEnd.busy - machineStart.busy) / Math.max(1, machineEnd.total - machineStart.total)
        : Number.NaN;
      return { machineBusy, groups };
    },
  };
}

export function formatCpu(usage: CpuUsage): string {
  const machine = Number.isFinite(usage.machineBusy) ? `${(usage.machineBusy * 100).toFixed(0)}% of all cores busy` : 'machine use n/a';
  return `${machine}; in cores: ${formatGroups(usage.groups)}`;
}

/** A warning when processes outside the bench took a noticeable share of the cores. */
export function interference(usage: CpuUsage, phase: string): string[] {
  const others = Object.entries(usage.groups).filter(([group]) => group.startsWith('other: '));
  const cores = others.reduce((sum, [, c]) => sum + c, 0);
  if (cores < 0.1) return [];
  return [`WARNING: during the ${phase}, processes outside the bench used ${cores.toFixed(2)} cores (${formatGroups(Object.fromEntries(others))}): its numbers are disturbed; rerun on a quiet machine`];
}
