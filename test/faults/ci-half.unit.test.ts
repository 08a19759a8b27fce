import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FAST_HALF, FAULTS_DIR, selectHalf } from './ci-half.js';

describe('the fast half of the fault suite', () => {
  it('lists scenario files that exist, so a renamed file cannot silently drop out of CI', () => {
    expect(FAST_HALF.length).toBeGreaterThan(0);
    for (const file of FAST_HALF) {
      expect(file).toMatch(/\.faults\.test\.ts$/);
      expect(existsSync(`${FAULTS_DIR}/${file}`), file).toBe(true);
    }
  });

  it('turns --half fast into exactly those files and passes the other arguments on', () => {
    const expected = FAST_HALF.map((f) => `${FAULTS_DIR}/${f}`);
    expect(selectHalf(['--seeds', '2', '--half', 'fast', '--bail=1'])).toEqual({ files: expected, rest: ['--seeds', '2', '--bail=1'] });
    expect(selectHalf(['--half=fast'])).toEqual({ files: expected, rest: [] });
  });

  it('runs every scenario without --half, and refuses an unknown half rather than running all', () => {
    expect(selectHalf(['--seeds', '3'])).toEqual({ files: [], rest: ['--seeds', '3'] });
    expect(() => selectHalf(['--half', 'slow'])).toThrow(/--half takes "fast"/);
    expect(() => selectHalf(['--half'])).toThrow(/--half takes "fast"/);
  });
});
