import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { ScenarioReport } from './measure.js';

/** One JSON file per scenario and seed, so scenarios running in parallel never write the same file. */
export const REPORT_DIR = fileURLToPath(new URL('../../test-results/faults/', import.meta.url));

export const TABLE_HEADER = ['scenario', 'seed', 'committed', 'applied per model', 'lost', 'dup. deliveries', 'dup. effects', 'converged'];

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export function formatRow(report: ScenarioReport): string[] {
  const applied = Object.values(report.applied);
  const perModel = applied.every((n) => n === applied[0]) ? `${applied[0] ?? 0} x ${applied.length}` : applied.join('/');
  const { activityRetries, batchRedispatches } = report.duplicateDeliveries;
  return [report.scenario, String(report.seed), String(report.eventsCommitted), perModel, String(report.lost),
    `${activityRetries + batchRedispatches} (${activityRetries} activity, ${batchRedispatches} batch)`,
    String(report.duplicateEffects), `${seconds(report.convergenceMs)}${typeof report.details.restartMs === 'number' ? ` (restart ${seconds(report.details.restartMs)})` : ''}`];
}

/** A plain-text table, columns padded to their widest cell. */
export function formatTable(reports: ScenarioReport[]): string {
  const rows = [TABLE_HEADER, ...reports.map(formatRow)];
  const widths = TABLE_HEADER.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  return rows.map((row) => row.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n');
}

export async function recordReport(report: ScenarioReport): Promise<void> {
  await mkdir(REPORT_DIR, { recursive: true });
  const file = `${report.scenario.replace(/[^a-z0-9-]+/gi, '-')}-seed-${report.seed}.json`;
  await writeFile(`${REPORT_DIR}${file}`, `${JSON.stringify(report, null, 2)}\n`);
  console.log(formatTable([report]));
}

export async function readReports(): Promise<ScenarioReport[]> {
  const files = (await readdir(REPORT_DIR).catch(() => [])).filter((file) => file.endsWith('.json'));
  const reports = await Promise.all(files.map(async (file) => JSON.parse(await readFile(`${REPORT_DIR}${file}`, 'utf8')) as ScenarioReport));
  // Scenario names start with the issue's number: 2 before 16.
  return reports.sort((a, b) => parseInt(a.scenario, 10) - parseInt(b.scenario, 10) || a.seed - b.seed);
}
