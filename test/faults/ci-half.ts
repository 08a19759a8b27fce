/**
 * The fast half of the fault suite: the scenario files `npm test` (and so CI) runs after the
 * main suite, with `npm run test:faults -- --half fast`. The one place that lists them.
 * Chosen by measured run time (seed 1, `npm run test:faults` on an otherwise idle 2-core
 * machine, 5.5 minutes for all): the files here start no private service and wait out no
 * timeout, so their time hardly moves with the machine's load. The rest run only with
 * `npm run test:faults`.
 *
 *   out-of-order.faults.test.ts         ~7 s  (scenario 6)
 *   index-deleted.faults.test.ts        ~8 s  (9)
 *   graceful-restart.faults.test.ts    ~13 s  (16)
 *   commands.faults.test.ts            ~18 s  (1-3)
 *   relay-crash.faults.test.ts         ~19 s  (4-5)
 *   operator.faults.test.ts            ~21 s  (12-13)
 *
 *   postgres-restart.faults.test.ts    ~10 s  not here: a private PostgreSQL, stopped and started (14)
 *   temporal-restart.faults.test.ts    ~15 s  not here: a private Temporal dev server, killed and restarted (15)
 *   redelivery.faults.test.ts          ~24 s  not here: many small batches (10-11)
 *   worker-crash.faults.test.ts        ~41 s  not here: waits out the 30 s activity timeout (7)
 *   opensearch-outage.faults.test.ts   ~45 s  not here: a private OpenSearch, paused or restarted (8)
 */
export const FAST_HALF: readonly string[] = [
  'out-of-order.faults.test.ts',
  'index-deleted.faults.test.ts',
  'graceful-restart.faults.test.ts',
  'commands.faults.test.ts',
  'relay-crash.faults.test.ts',
  'operator.faults.test.ts',
];

export const FAULTS_DIR = 'test/faults';

/**
 * Takes `--half fast` (or `--half=fast`) out of the runner's arguments and turns it into the
 * listed files, as vitest file filters. Any other half is refused rather than running everything.
 */
export function selectHalf(args: readonly string[]): { files: string[]; rest: string[] } {
  const at = args.findIndex((arg) => arg === '--half' || arg.startsWith('--half='));
  if (at < 0) return { files: [], rest: [...args] };
  const inline = args[at]!.includes('=') ? args[at]!.split('=')[1] : undefined;
  const half = inline ?? args[at + 1];
  if (half !== 'fast') throw new Error(`--half takes "fast" (the files listed in ${FAULTS_DIR}/ci-half.ts), got "${half ?? ''}"`);
  const rest = args.filter((_, i) => i !== at && (inline !== undefined || i !== at + 1));
  return { files: FAST_HALF.map((file) => `${FAULTS_DIR}/${file}`), rest };
}
