import { describe, expect, it } from 'vitest';
import { parseSoakArgs } from '../../bench/soak/args.js';
import { backlogTolerance, judgeSeries, TOLERANCES } from '../../bench/soak/flatness.js';
import { EVENTS_PER_ORDER, PATHS } from '../../bench/soak/lifecycle.js';
import { settled, warmupSeconds } from '../../bench/soak/series.js';
import type { SoakSample } from '../../bench/soak/sampler.js';

const every10s = (values: number[]) => values.map((value, i) => ({ atSeconds: (i + 1) * 10, value }));

describe('soak: a series is flat when its last third stays within its first third plus a tolerance', () => {
  it('passes memory that wobbles around a level', () => {
    const verdict = judgeSeries('api rss', 'MB', every10s([170, 175, 168, 172, 176, 169, 171, 174, 170]), TOLERANCES.memory);
    expect(verdict.pass).toBe(true);
  });

  it('fails memory that keeps climbing, a leak', () => {
    const verdict = judgeSeries('api rss', 'MB', every10s([150, 170, 190, 210, 230, 250, 270, 290, 310]), TOLERANCES.memory);
    expect(verdict).toMatchObject({ pass: false, firstThird: 170, lastThird: 290 });
    expect(verdict.slopePerMinute).toBeCloseTo(120);
  });

  it('allows the backlog one second of offered load, not more', () => {
    const held = judgeSeries('backlog', 'events', every10s([40, 90, 60, 100, 50, 80, 120, 70, 95]), backlogTolerance(100));
    const growing = judgeSeries('backlog', 'events', every10s([40, 90, 60, 200, 260, 330, 400, 470, 540]), backlogTolerance(100));
    expect(held.pass).toBe(true);
    expect(growing.pass).toBe(false);
  });

  it('never passes a series with too few samples to have thirds, or with no readings', () => {
    expect(judgeSeries('x', 'MB', every10s([1, 1]), TOLERANCES.memory).pass).toBe(false);
    expect(judgeSeries('x', 'MB', every10s([Number.NaN, Number.NaN, Number.NaN]), TOLERANCES.memory).pass).toBe(false);
  });

  it('leaves the first minute (a fifth of short runs) out of the judgement as warm-up', () => {
    expect(warmupSeconds(10)).toBe(60);
    expect(warmupSeconds(2)).toBe(24);
    const samples = [10, 60, 70].map((atSeconds) => ({ atSeconds }) as SoakSample);
    expect(settled(samples, 10).map((s) => s.atSeconds)).toEqual([70]);
  });
});

describe('soak: arguments and lifecycle', () => {
  it('reads minutes and rate, and refuses values outside the bounds', () => {
    expect(parseSoakArgs(['--minutes', '10', '--rate', '30'])).toMatchObject({ minutes: 10, rate: 30, sampleSeconds: 10 });
    expect(() => parseSoakArgs(['--minutes', '0'])).toThrow(/--minutes must be an integer from 1/);
    expect(() => parseSoakArgs(['--rate', 'fast'])).toThrow(/--rate/);
    expect(() => parseSoakArgs(['--seconds', '5'])).toThrow(/unknown option --seconds/);
  });

  it('spreads orders over paths whose shares add up to one, with refunds, cancels and deliveries', () => {
    expect(PATHS.reduce((sum, p) => sum + p.share, 0)).toBeCloseTo(1);
    const steps = new Set(PATHS.flatMap((p) => p.steps.map((s) => s.name)));
    for (const step of ['authorize', 'decline', 'ship', 'in_transit', 'delivered', 'refund', 'cancel', 'note']) expect(steps).toContain(step);
    expect(EVENTS_PER_ORDER).toBeGreaterThan(4);
  });
});
