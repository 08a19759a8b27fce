/**
 * `npm run test:faults [-- --seeds N] [--half fast] [vitest arguments]`: runs every fault
 * scenario (with `--half fast`, those of the files listed in ci-half.ts) N times (seeds 1..N),
 * then prints one table row per scenario and seed and writes them all to test-results/faults.json.
 */
import { spawnSync } from 'node:child_process';
import { rm, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { selectHalf } from './ci-half.js';
import { formatTable, readReports, REPORT_DIR } from './report.js';
import { parseSeedCount } from './seeds.js';

function splitArgs(args: string[]): { seeds: string; rest: string[] } {
  const at = args.findIndex((arg) => arg === '--seeds' || arg.startsWith('--seeds='));
  if (at < 0) return { seeds: process.env.FAULT_SEEDS ?? '1', rest: args };
  const inline = args[at]!.includes('=') ? args[at]!.split('=')[1]! : undefined;
  const seeds = inline ?? args[at + 1] ?? '';
  return { seeds, rest: args.filter((_, i) => i !== at && (inline !== undefined || i !== at + 1)) };
}

const { files, rest: args } = selectHalf(process.argv.slice(2));
const { seeds, rest } = splitArgs(args);
const count = parseSeedCount(seeds);
await rm(REPORT_DIR, { recursive: true, force: true });
const root = fileURLToPath(new URL('../../', import.meta.url));
const vitest = spawnSync(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', '--config', 'vitest.faults.config.ts', ...files, ...rest], {
  cwd: root, stdio: 'inherit', env: { ...process.env, FAULT_SEEDS: String(count) },
});
const reports = await readReports();
if (reports.length > 0) {
  console.log(`\nFault scenarios (${count} seed(s) each)\n\n${formatTable(reports)}`);
  await writeFile(`${root}test-results/faults.json`, `${JSON.stringify(reports, null, 2)}\n`);
}
process.exit(vitest.status ?? 1);
