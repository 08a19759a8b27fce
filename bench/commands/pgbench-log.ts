import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { LoadResult } from './load-result.js';

/** The window to count: the measured seconds after the warm-up, as on the API side. */
export interface Window {
  warmupSeconds: number;
  seconds: number;
}

export interface TxRecord {
  /** Completion time, epoch ms. */
  endMs: number;
  /** Latency in ms, or the reason the transaction failed. */
  latencyMs: number | string;
}

/** Per-transaction log lines: client_id transaction_no time(us) script_no time_epoch time_us ... */
export async function readLogs(dir: string): Promise<TxRecord[]> {
  const records: TxRecord[] = [];
  for (const file of (await readdir(dir)).filter((f) => f.startsWith('tx.'))) {
    for (const line of (await readFile(join(dir, file), 'utf8')).split('\n')) {
      const fields = line.trim().split(/\s+/);
      if (fields.length < 6) continue;
      const endMs = Number(fields[4]) * 1000 + Number(fields[5]) / 1000;
      const micros = Number(fields[2]);
      records.push({ endMs, latencyMs: Number.isFinite(micros) ? micros / 1000 : fields[2]! });
    }
  }
  return records;
}

export function windowed(records: TxRecord[], plan: Window, summary: string): LoadResult {
  const result: LoadResult = { label: 'pgbench', windowSeconds: plan.seconds, succeeded: 0, failures: {}, latenciesMs: [], notes: [] };
  // The run began when its first transaction started; the window opens after the warm-up.
  const begin = records.reduce((min, r) => Math.min(min, r.endMs - (typeof r.latencyMs === 'number' ? r.latencyMs : 0)), Infinity);
  const start = begin + plan.warmupSeconds * 1000;
  const end = start + plan.seconds * 1000;
  for (const record of records) {
    if (record.endMs < start || record.endMs > end) continue;
    if (typeof record.latencyMs === 'number') {
      result.succeeded += 1;
      result.latenciesMs.push(record.latencyMs);
    } else {
      result.failures[record.latencyMs] = (result.failures[record.latencyMs] ?? 0) + 1;
    }
  }
  if (summary) result.notes.push(`pgbench's own summary over its whole run (warm-up included): ${summary}`);
  return result;
}

export function summaryLine(output: string): string {
  const tps = /tps = ([\d.]+)/.exec(output)?.[1];
  const average = /latency average = ([\d.]+) ms/.exec(output)?.[1];
  const failed = /number of failed transactions: (\d+)/.exec(output)?.[1];
  return [tps && `${tps} tps`, average && `latency average ${average} ms`, failed && `${failed} failed`].filter(Boolean).join(', ');
}
