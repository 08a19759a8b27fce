import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../src/config.js';

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('OUTBOX_ARCHIVE_INTERVAL', () => {
  it('is one minute when unset, a duration when set, and no schedule when off', () => {
    vi.stubEnv('OUTBOX_ARCHIVE_INTERVAL', '');
    expect(loadConfig().archiveIntervalMs).toBe(60_000);
    vi.stubEnv('OUTBOX_ARCHIVE_INTERVAL', '90s');
    expect(loadConfig().archiveIntervalMs).toBe(90_000);
    vi.stubEnv('OUTBOX_ARCHIVE_INTERVAL', '2h');
    expect(loadConfig().archiveIntervalMs).toBe(7_200_000);
    vi.stubEnv('OUTBOX_ARCHIVE_INTERVAL', 'off');
    expect(loadConfig().archiveIntervalMs).toBeNull();
  });

  it('fails loudly on anything else', () => {
    for (const bad of ['0s', '60', '1.5m', '1 m', 'never']) {
      vi.stubEnv('OUTBOX_ARCHIVE_INTERVAL', bad);
      expect(() => loadConfig(), bad).toThrow(/OUTBOX_ARCHIVE_INTERVAL/);
    }
  });
});
