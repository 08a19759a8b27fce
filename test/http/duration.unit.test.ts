import { describe, expect, it } from 'vitest';
import { durationParam, parseDuration } from '../../src/http/input/duration.js';

describe('parseDuration', () => {
  it.each([
    ['90s', 90_000], ['1s', 1_000], ['15m', 900_000], ['2h', 7_200_000], ['720h', 2_592_000_000],
  ])('reads %s as %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', '15', 'm', '0s', '00m', '015m', '-5m', '+5m', '1.5h', '1e3s', '15 m', ' 15m', '15m ', '15M', '15min', '2d', '1h30m', '１５m', '99999999s'])(
    'refuses %j', (text) => {
      expect(parseDuration(text)).toBeUndefined();
    });
});

describe('durationParam', () => {
  const upToADay = durationParam(24 * 3_600_000);

  it('gives milliseconds up to the maximum, inclusive', () => {
    expect(upToADay.parse('24h')).toBe(86_400_000);
    expect(upToADay.parse('1440m')).toBe(86_400_000);
  });

  it('refuses a longer duration instead of clamping it, saying the maximum', () => {
    const result = upToADay.safeParse('1441m');
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe('must be at most 24h');
  });

  it('refuses text that is not a duration, with an example of one', () => {
    const result = upToADay.safeParse('soon');
    expect(result.error?.issues[0]?.message).toMatch(/^must be a duration such as 90s, 15m or 2h/);
  });
});
