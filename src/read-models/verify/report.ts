import type { ModelVerification, VerifyRun } from './run.js';

export interface VerifyOptions {
  /** Wait this long for every checkpoint to reach the head before verifying; 0 verifies at once. */
  waitMs: number;
  /** Findings printed per model. */
  show: number;
  help: boolean;
}

export const USAGE = `usage: npm run verify -- [--wait <duration>] [--show <n>]
  --wait 30s   first wait (up to 30 s; also 15m, 2h) until every read model has reached the head of the log
  --show 10    print the first n findings of each model (default 10)
Exit status: 0 when everything matches the log, 1 on any finding, 2 when the check could not run.`;

/** Bad command-line input: the usage is printed with it. */
export class UsageError extends Error {}

const UNITS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000 };

/** Durations as the query strings spell them: `90s`, `15m`, `2h`. */
export function parseDuration(text: string): number {
  const match = /^(\d{1,6})([smh])$/.exec(text);
  if (!match) throw new UsageError(`a duration looks like 90s, 15m or 2h, not "${text}"`);
  return Number(match[1]) * UNITS[match[2]!]!;
}

function count(text: string | undefined): number {
  if (!text || !/^\d{1,6}$/.test(text)) throw new UsageError(`--show needs a whole number, not "${text ?? ''}"`);
  return Number(text);
}

export function parseVerifyArgs(argv: readonly string[]): VerifyOptions {
  const options: VerifyOptions = { waitMs: 0, show: 10, help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') options.help = true;
    else if (arg === '--wait') options.waitMs = parseDuration(argv[++i] ?? '');
    else if (arg === '--show') options.show = count(argv[++i]);
    else throw new UsageError(`unknown argument "${arg}"`);
  }
  return options;
}

function matching(result: ModelVerification): number {
  const differing = new Set(result.findings.flatMap((f) => (f.orderId ? [f.orderId] : [])));
  return Math.max(0, result.checked - differing.size);
}

function checkpoint(result: ModelVerification): string {
  return result.freshness ? `${result.freshness.position} (lag ${result.freshness.lagEvents})` : '-';
}

const COLUMNS = ['model', 'store', 'checkpoint', 'checked', 'matching', 'findings'] as const;

function table(results: readonly ModelVerification[]): string[] {
  const rows = results.map((r) => [r.name, r.store, checkpoint(r), String(r.checked), String(matching(r)), String(r.findings.length)]);
  const widths = COLUMNS.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: readonly string[]) => cells.map((cell, i) => (i < 2 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
  return [line(COLUMNS), ...rows.map(line)];
}

function details(result: ModelVerification, show: number): string[] {
  if (result.findings.length === 0 || show === 0) return [];
  const shown = result.findings.slice(0, show);
  return [
    '',
    `${result.name}: ${result.findings.length} finding(s)${shown.length < result.findings.length ? `, the first ${shown.length}` : ''}`,
    ...shown.map((f) => `  ${f.orderId ? `order ${f.orderId}` : 'model'}: ${f.problem}`),
  ];
}

/**
 * The printed report: one table row per model, then the first findings of each. Findings
 * name order ids and field names only, never values, so the report holds no personal data.
 */
export function formatVerifyRun(run: VerifyRun, show: number): string[] {
  const total = run.results.reduce((n, r) => n + r.findings.length, 0);
  return [
    `Fresh fold of the outbox log: ${run.events} events, ${run.orders} orders`,
    '',
    ...table(run.results),
    ...run.results.flatMap((result) => details(result, show)),
    '',
    total === 0 ? 'Every model matches the log.' : `${total} finding(s): the models above differ from the log.`,
  ];
}
