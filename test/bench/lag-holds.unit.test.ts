import { describe, expect, it } from 'vitest';
import { parseLagArgs } from '../../bench/lag/args.js';
import type { BacklogSample } from '../../bench/lag/backlog.js';
import { flatness, highestHeld, judge, searchRates, type TrialPlan } from '../../bench/lag/holds.js';
import type { LoadOutcome } from '../../bench/lag/load.js';

const plan: TrialPlan = { rate: 10, warmupSeconds: 5, seconds: 60, drainSeconds: 60, searchEvery: 0 };
const offeredPerSecond = plan.rate * 4;

/** One sample a second over warm-up + window; `backlog(t)` in events, commits at `committedPerSecond`. */
function samples(backlog: (second: number) => number, committedPerSecond = offeredPerSecond): BacklogSample[] {
  return Array.from({ length: plan.warmupSeconds + plan.seconds + 1 }, (_, t) => ({
    atMs: t * 1_000, committed: t * committedPerSecond, behind: {}, backlog: backlog(t),
  }));
}

const fullLoad: LoadOutcome = { scheduled: 650, started: 650, completed: 650, failures: {}, commandMs: [], answers: [] };

describe('bench:lag decides whether a rate holds', () => {
  it('given a backlog drained in steps every 7 s around a flat level, when judged, then the rate holds', () => {
    // The window starts in a trough (0) and ends near a peak (160): two single samples would call it growth.
    const sawtooth = samples((t) => ((t - plan.warmupSeconds) % 7) * 40);
    expect([sawtooth[plan.warmupSeconds]!.backlog, sawtooth.at(-1)!.backlog]).toEqual([0, 160]);
    expect(judge(fullLoad, flatness(sawtooth, plan))).toEqual([]);
  });

  it('given a backlog growing by 10 events a second, when judged, then it does not hold and says why', () => {
    const flat = flatness(samples((t) => 10 * t), plan);
    expect(flat.growth).toBe(600);
    expect(judge(fullLoad, flat)).toEqual(['the backlog grew by 600 events over the window (fitted line)']);
  });

  it('given an API committing half the offered events, when judged, then it does not hold even with no backlog', () => {
    const verdict = judge(fullLoad, flatness(samples(() => 0, offeredPerSecond / 2), plan));
    expect(verdict).toEqual([`the API committed 20.0 of ${offeredPerSecond} events/s`]);
  });

  it('given orders the client could not start or that failed, when judged, then it does not hold', () => {
    const load = { ...fullLoad, started: 600, failures: { 'pay 503': 7 } };
    expect(judge(load, flatness(samples(() => 0), plan))).toEqual(['50 orders not started (client at its in-flight cap)', '7 commands failed']);
  });
});

describe('bench:lag looks for the highest rate that holds', () => {
  /** A machine that holds up to `limit` orders/s; records the rates it was asked for. */
  function machine(limit: number) {
    const asked: number[] = [];
    const run = async (rate: number) => {
      asked.push(rate);
      return { plan: { rate }, holds: rate <= limit };
    };
    return { asked, run };
  }

  it('given --find and a machine holding 20 orders/s, when 100 fails, then it halves until one holds, bisects once and reports it', async () => {
    const { asked, run } = machine(20);
    const done = await searchRates(100, true, run);
    expect(asked).toEqual([100, 50, 25, 12, 18]);
    expect(highestHeld(done).plan.rate).toBe(18);
  });

  it('given no --find, when the rate fails, then it runs that rate only and reports it as not holding', async () => {
    const { asked, run } = machine(20);
    const reported = highestHeld(await searchRates(100, false, run));
    expect(asked).toEqual([100]);
    expect(reported).toEqual({ plan: { rate: 100 }, holds: false });
  });

  it('given --find on a machine that holds nothing, when searching, then it stops at 1 order/s', async () => {
    const { asked, run } = machine(0);
    await searchRates(8, true, run);
    expect(asked).toEqual([8, 4, 2, 1]);
  });
});

describe('bench:lag options', () => {
  it('defaults to 100 orders/s for 60 s after 5 s of warm-up', () => {
    expect(parseLagArgs([])).toMatchObject({ rate: 100, seconds: 60, warmupSeconds: 5, find: false, searchEvery: 50 });
    expect(parseLagArgs(['--search-every', '0'])).toMatchObject({ searchEvery: 0 });
    expect(parseLagArgs(['--rate', '20', '--seconds', '15', '--find'])).toMatchObject({ rate: 20, seconds: 15, find: true });
  });

  it('refuses values out of range and unknown options instead of running something else', () => {
    expect(() => parseLagArgs(['--rate', '0'])).toThrow('--rate must be an integer from 1 to 1000');
    expect(() => parseLagArgs(['--seconds', '1e3'])).toThrow('--seconds');
    expect(() => parseLagArgs(['--rate'])).toThrow('--rate');
    expect(() => parseLagArgs(['--rps', '5'])).toThrow('unknown option --rps');
  });
});
