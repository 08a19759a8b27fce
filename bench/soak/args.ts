/** `npm run soak -- --minutes 10 [--rate 20] [--sample-seconds 10] [--drain 300]`, bounded so a typo cannot start an endless run. */
import { boundedInteger } from '../support/bounded-integer.js';

export interface SoakArgs {
  minutes: number;
  /** Orders started per second, open loop; each order makes ~5 events (see lifecycle.ts). */
  rate: number;
  sampleSeconds: number;
  /** After the load, how long every read model may take to catch up before the verifier runs. */
  drainSeconds: number;
}

/**
 * The default rate: one this lifecycle holds with room to spare on the 2-core development
 * machine, even while other work shares it. Idle, the machine held more (bench/README.md).
 */
export const DEFAULT_RATE = 15;

const BOUNDS = {
  minutes: [1, 240],
  rate: [1, 1_000],
  'sample-seconds': [1, 60],
  drain: [10, 1_800],
} as const;

function bounded(option: keyof typeof BOUNDS, raw: string | undefined): number {
  return boundedInteger(option, BOUNDS[option], raw);
}

export function parseSoakArgs(argv: readonly string[]): SoakArgs {
  const args: SoakArgs = { minutes: 10, rate: DEFAULT_RATE, sampleSeconds: 10, drainSeconds: 300 };
  for (let i = 0; i < argv.length; i++) {
    const option = argv[i]!;
    const value = argv[++i];
    if (option === '--minutes') args.minutes = bounded('minutes', value);
    else if (option === '--rate') args.rate = bounded('rate', value);
    else if (option === '--sample-seconds') args.sampleSeconds = bounded('sample-seconds', value);
    else if (option === '--drain') args.drainSeconds = bounded('drain', value);
    else throw new Error(`unknown option ${option} (known: --minutes, --rate, --sample-seconds, --drain)`);
  }
  return args;
}
