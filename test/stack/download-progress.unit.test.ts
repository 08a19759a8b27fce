import { describe, expect, it } from 'vitest';
import { describeProgress, downloadProgress } from '../../src/stack/download-progress.js';

function fakeClock(): { now: () => number; advance: (ms: number) => void } {
  let t = 1_000_000;
  return { now: () => t, advance: (ms) => void (t += ms) };
}

const MB = 1_000_000;

describe('downloadProgress off a terminal', () => {
  it('logs a start line, then percent lines at most every interval, then the total', () => {
    const clock = fakeClock();
    const lines: string[] = [];
    const progress = downloadProgress({ label: 'OpenSearch', log: (l) => lines.push(l), intervalMs: 5_000, now: clock.now });
    for (let second = 1; second <= 12; second++) {
      clock.advance(1_000);
      progress.update(second * 4 * MB, 48 * MB); // several updates per interval
      progress.update(second * 4 * MB + 1, 48 * MB);
    }
    progress.finish();
    expect(lines).toEqual([
      'downloading OpenSearch',
      'OpenSearch: 20.0 of 48.0 MB (41%)',
      'OpenSearch: 40.0 of 48.0 MB (83%)',
      'downloaded OpenSearch: 48.0 MB in 12.0 s',
    ]);
  });

  it('stays quiet between intervals and shows bytes only while the size is unknown', () => {
    const clock = fakeClock();
    const lines: string[] = [];
    const progress = downloadProgress({ label: 'wheel', log: (l) => lines.push(l), intervalMs: 3_000, now: clock.now });
    clock.advance(2_999);
    progress.update(MB);
    expect(lines).toEqual(['downloading wheel']);
    clock.advance(1);
    progress.update(2.5 * MB);
    expect(lines.at(-1)).toBe('wheel: 2.5 MB');
  });
});

describe('downloadProgress on a terminal', () => {
  it('rewrites one status line with bytes and percent, and clears it when done', () => {
    const clock = fakeClock();
    const lines: string[] = [];
    let screen = '';
    const terminal = { write: (text: string) => void (screen += text) };
    const progress = downloadProgress({ label: 'OpenSearch', log: (l) => lines.push(l), terminal, now: clock.now });
    clock.advance(150);
    progress.update(14 * MB, 56 * MB);
    clock.advance(50);
    progress.update(20 * MB, 56 * MB); // within the refresh period: not drawn
    clock.advance(100);
    progress.update(28 * MB);
    expect(screen).toBe('\rOpenSearch: 14.0 of 56.0 MB (25%)\x1b[K\rOpenSearch: 28.0 of 56.0 MB (50%)\x1b[K');
    progress.finish();
    expect(screen.endsWith('\r\x1b[K')).toBe(true);
    clock.advance(1_000);
    progress.update(56 * MB); // a late update after the end draws nothing
    expect(screen.endsWith('\r\x1b[K')).toBe(true);
    expect(lines).toEqual(['downloading OpenSearch', 'downloaded OpenSearch: 28.0 MB in 0.3 s']);
  });
});

describe('describeProgress', () => {
  it('never claims more than 100%', () => {
    expect(describeProgress(57 * MB, 56 * MB)).toBe('57.0 of 56.0 MB (100%)');
    expect(describeProgress(0, 56 * MB)).toBe('0.0 of 56.0 MB (0%)');
  });
});
