/** `npm run bench:lag -- --rate 100 --seconds 60 --warmup 5 [--find]`, bounded so a typo cannot start an endless run. */
import { boundedInteger } from '../support/bounded-integer.js';

export interface LagBenchArgs {
  /** Orders placed per second (open loop); each order makes 4 events. */
  rate: number;
  /** Length of the measured (steady) window. */
  seconds: number;
  /** Load before the window, not measured: pools, JIT and the relay settle. */
  warmupSeconds: number;
  /** When the rate does not hold: halve it until one holds, then bisect once between the two. */
  find: boolean;
  /** How long to wait for every read model to catch up after a trial. */
  drainSeconds: number;
  /** Every n-th order is watched through the support search until found; 0 = none. */
  searchEvery: number;
}

const BOUNDS = {
  rate: [1, 1_000],
  seconds: [5, 600],
  warmup: [0, 60],
  drain: [10, 900],
  'search-every': [0, 10_000],
} as const;

function bounded(option: keyof typeof BOUNDS, raw: string | undefined): number {
  return boundedInteger(option, BOUNDS[option], raw);
}

export function parseLagArgs(argv: readonly string[]): LagBenchArgs {
  const args: LagBenchArgs = { rate: 100, seconds: 60, warmupSeconds: 5, find: false, drainSeconds: 120, searchEvery: 50 };
  for (let i = 0; i < argv.length; i++) {
    const option = argv[i]!;
    if (option === '--find') {
      args.find = true;
      continue;
    }
    const value = argv[++i];
    if (option === '--rate') args.rate = bounded('rate', value);
    else if (option === '--seconds') args.seconds = bounded('seconds', value);
    else if (option === '--warmup') args.warmupSeconds = bounded('warmup', value);
    else if (option === '--drain') args.drainSeconds = bounded('drain', value);
    else if (option === '--search-every') args.searchEvery = bounded('search-every', value);
    else throw new Error(`unknown option ${option} (known: --rate, --seconds, --warmup, --drain, --search-every, --find)`);
  }
  return args;
}
