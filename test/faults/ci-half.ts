/**
 * The fast half of the fault suite: the scenario files `npm test` (and so CI) runs after the
 * main suite, with `npm run test:faults -- --half fast`. The one place that lists them. Chosen
 * by measured run time (seed 1, loaded 2-core machine): a file belongs here when its scenarios
 * need no long timeout or full restart. The rest run only with `npm run test:faults`.
 *
 *   commands.faults.test.ts           ~25 s  (scenarios 1-3)
 *   relay-crash.faults.test.ts        ~55 s  (scenarios 4-5)
 *   worker-crash.faults.test.ts       ~60 s  not here: waits out the 30 s activity timeout
 *   graceful-restart.faults.test.ts  ~110 s  not here: two full `npm start` boots
 */
export const FAST_HALF: readonly string[] = [
  'commands.faults.test.ts',
  'relay-crash.faults.test.ts',
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
