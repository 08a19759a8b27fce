import { writeFile } from 'node:fs/promises';
import { SEARCH_REFRESH_MS } from '../lag/report.js';
import type { ModelVisibility } from '../lag/visibility.js';
import { newResultBase } from '../support/results.js';
import { ms } from '../support/stats.js';
import { formatTable } from '../support/table.js';
import type { SeriesVerdict } from './flatness.js';
import type { SoakSample } from './sampler.js';

export interface SoakResult {
  args: { minutes: number; rate: number; sampleSeconds: number };
  machine: string[];
  mode: string;
  eventsPerOrder: number;
  /** committedPerSecond: while orders were scheduled; loadSeconds: until the last order's last answer. */
  load: { scheduled: number; started: number; completed: number; commands: number; committedPerSecond: number; loadSeconds: number };
  /** Every error by kind: non-2xx answers and network errors by step, a part that exited, verifier findings. */
  errors: Record<string, number>;
  drainedSeconds: number | null;
  verifier: { events: number; orders: number; findings: Array<{ model: string; problem: string }> };
  visibility: ModelVisibility[];
  flatness: SeriesVerdict[];
  samples: SoakSample[];
  pass: boolean;
}

const num = (v: number, digits = 1) => (Number.isFinite(v) ? v.toFixed(digits) : 'n/a');

export function flatnessTable(verdicts: readonly SeriesVerdict[]): string {
  return formatTable(['series', 'unit', 'first third', 'last third', 'limit', 'slope/min', 'flat'], verdicts.map((v) => [
    v.series, v.unit, num(v.firstThird), num(v.lastThird), num(v.limit), num(v.slopePerMinute, 2), v.pass ? 'PASS' : 'FAIL',
  ]));
}

export function visibilityTable(visibility: readonly ModelVisibility[]): string {
  return formatTable(['read model', 'store', 'events', 'seen', 'p50', 'p99', 'p99 readable', 'max', 'p99 (answer)'], visibility.map((v) => [
    v.model, v.store, String(v.events), String(v.seen), ms(v.p50Ms), ms(v.p99Ms),
    v.store === 'opensearch' ? `<= ${ms(v.p99Ms + SEARCH_REFRESH_MS)}` : ms(v.p99Ms), ms(v.maxMs), ms(v.answerP99Ms),
  ]));
}

/** One row per sample: what the outbox owes, connections, and each process's memory and sockets. */
export function timelineTable(samples: readonly SoakSample[], parts: readonly string[]): string {
  const headers = ['t (s)', 'committed', 'outbox rows', 'unclaimed', 'max backlog', 'pg conns', ...parts.flatMap((p) => [`${p} rss MB`, `${p} heap MB`, `${p} sockets`])];
  return formatTable(headers, samples.map((s) => [
    num(s.atSeconds, 0), String(s.committed), String(s.outboxRows), String(s.unclaimed), String(Math.max(0, ...Object.values(s.backlog))),
    String(Object.values(s.pgConnections).reduce((a, b) => a + b, 0)),
    ...parts.flatMap((p) => [num(s.processes[p]?.rssMb ?? Number.NaN, 0), num(s.processes[p]?.heapUsedMb ?? Number.NaN, 0), String(s.processes[p]?.sockets ?? 'n/a')]),
  ]));
}

export function summaryLines(result: SoakResult): string[] {
  const errors = Object.entries(result.errors).map(([k, n]) => `${k}: ${n}`).join(', ');
  const total = Object.values(result.errors).reduce((a, b) => a + b, 0);
  const { load, args } = result;
  return [
    `load: ${args.rate} orders/s (~${(args.rate * result.eventsPerOrder).toFixed(0)} events/s offered) for ${args.minutes} min: ${load.started}/${load.scheduled} orders started, ${load.completed} completed, ${load.commands} commands; committed ${num(load.committedPerSecond)} events/s while scheduling; last answer after ${num(load.loadSeconds, 0)} s`,
    `drained: ${result.drainedSeconds === null ? 'NOT within --drain' : `${num(result.drainedSeconds)} s after the load`}`,
    `verifier: ${result.verifier.events} events, ${result.verifier.orders} orders, ${result.verifier.findings.length} finding(s)`,
    `errors: ${total}${total > 0 ? ` (${errors})` : ''}`,
    `=> ${result.pass ? 'PASS' : 'FAIL'}: ${result.pass ? 'every series flat, errors 0, verifier clean' : 'see the FAIL rows and errors above'}`,
  ];
}

export function markdown(result: SoakResult, parts: readonly string[]): string {
  const block = (text: string) => `\`\`\`\n${text}\n\`\`\``;
  return [
    `# Soak ${result.pass ? 'PASS' : 'FAIL'}: ${result.args.rate} orders/s for ${result.args.minutes} min`, '',
    `${result.mode}`, '', ...result.machine.map((m) => `- ${m}`), '',
    '## Summary', '', ...summaryLines(result).map((l) => `- ${l}`), '',
    '## Flatness (first vs last third of the samples)', '', block(flatnessTable(result.flatness)), '',
    '## Commit-to-visible per read model (occurred_at to ledger row)', '', block(visibilityTable(result.visibility)), '',
    `## Samples every ${result.args.sampleSeconds} s`, '', block(timelineTable(result.samples, parts)), '',
  ].join('\n');
}

export async function writeSoakResult(result: SoakResult, parts: readonly string[]): Promise<{ json: string; md: string }> {
  const base = await newResultBase('soak');
  await writeFile(`${base}.json`, `${JSON.stringify(result, null, 2)}\n`);
  await writeFile(`${base}.md`, markdown(result, parts));
  return { json: `${base}.json`, md: `${base}.md` };
}
