import { describe, expect, it } from 'vitest';
import type { ScenarioReport } from './measure.js';
import { formatTable } from './report.js';
import { parseSeedCount, scenarioSeeds, seededRandom } from './seeds.js';

const report: ScenarioReport = {
  scenario: '4-relay-killed-after-start', seed: 2, eventsCommitted: 36,
  applied: { 'order-status': 36, 'support-search': 36 }, lost: 0,
  duplicateDeliveries: { activityRetries: 3, batchRedispatches: 1 }, duplicateEffects: 0,
  convergenceMs: 7_140, findings: [], details: {},
};

describe('fault suite seeds and table', () => {
  it('runs one seed by default and N consecutive seeds with FAULT_SEEDS', () => {
    expect(scenarioSeeds({})).toEqual([1]);
    expect(scenarioSeeds({ FAULT_SEEDS: '3' })).toEqual([1, 2, 3]);
    expect(scenarioSeeds({ FAULT_SEEDS: '2', FAULT_FIRST_SEED: '7' })).toEqual([7, 8]);
  });

  it('refuses a seed count that is not a positive integer', () => {
    for (const bad of ['0', '-1', '1.5', 'three', '']) expect(() => parseSeedCount(bad)).toThrow(/positive integer/);
  });

  it('replays the same choices for the same seed, other ones for another', () => {
    const draw = (seed: number) => Array.from({ length: 5 }, seededRandom(seed));
    expect(draw(4)).toEqual(draw(4));
    expect(draw(4)).not.toEqual(draw(5));
    expect(draw(4).every((x) => x >= 0 && x < 1)).toBe(true);
  });

  it('prints one aligned row per scenario with the counts the note asks for', () => {
    const lines = formatTable([report]).split('\n');
    expect(lines[0]).toMatch(/^scenario\s+seed\s+committed\s+applied per model\s+lost\s+dup\. deliveries\s+dup\. effects\s+converged$/);
    expect(lines[1]!.split(/\s{2,}/)).toEqual(['4-relay-killed-after-start', '2', '36', '36 x 2', '0', '4 (3 activity, 1 batch)', '0', '7.1 s']);
    const restarted = formatTable([{ ...report, details: { restartMs: 2_100 } }]).split('\n')[1]!;
    expect(restarted).toMatch(/7\.1 s \(restart 2\.1 s\)$/);
  });
});
