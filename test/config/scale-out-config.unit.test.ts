import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../src/config.js';

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('scale-out settings from the environment', () => {
  it('retry and check the relay leader lock every second by default, and bundle workflows from source', () => {
    vi.stubEnv('RELAY_LEADER_RETRY_MS', '');
    vi.stubEnv('RELAY_LEADER_CHECK_MS', '');
    vi.stubEnv('WORKFLOW_BUNDLE', '');
    const config = loadConfig();
    expect(config.relayLeader).toEqual({ retryMs: 1_000, checkMs: 1_000 });
    expect(config.workflowBundlePath).toBeNull();
  });

  it('are read from RELAY_LEADER_RETRY_MS, RELAY_LEADER_CHECK_MS and WORKFLOW_BUNDLE', () => {
    vi.stubEnv('RELAY_LEADER_RETRY_MS', '250');
    vi.stubEnv('RELAY_LEADER_CHECK_MS', '500');
    vi.stubEnv('WORKFLOW_BUNDLE', 'build/workflows.js');
    const config = loadConfig();
    expect(config.relayLeader).toEqual({ retryMs: 250, checkMs: 500 });
    expect(config.workflowBundlePath).toBe('build/workflows.js');
  });

  it('fail loudly on an interval that is not a whole number of at least 10 ms', () => {
    vi.stubEnv('RELAY_LEADER_RETRY_MS', '0');
    expect(() => loadConfig()).toThrow(/RELAY_LEADER_RETRY_MS/);
    vi.stubEnv('RELAY_LEADER_RETRY_MS', '');
    vi.stubEnv('RELAY_LEADER_CHECK_MS', '1.5');
    expect(() => loadConfig()).toThrow(/RELAY_LEADER_CHECK_MS/);
  });
});
