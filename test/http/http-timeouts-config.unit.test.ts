import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../src/config.js';

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('HTTP timeouts from the environment', () => {
  it('bound a request to 30 s by default', () => {
    vi.stubEnv('HTTP_REQUEST_TIMEOUT_MS', '');
    vi.stubEnv('HTTP_HEADERS_TIMEOUT_MS', '');
    vi.stubEnv('HTTP_KEEP_ALIVE_TIMEOUT_MS', '');
    expect(loadConfig().httpTimeouts).toEqual({ requestTimeoutMs: 30_000, headersTimeoutMs: 10_000, keepAliveTimeoutMs: 5_000 });
  });

  it('are read from HTTP_*_TIMEOUT_MS', () => {
    vi.stubEnv('HTTP_REQUEST_TIMEOUT_MS', '5000');
    vi.stubEnv('HTTP_HEADERS_TIMEOUT_MS', '2000');
    vi.stubEnv('HTTP_KEEP_ALIVE_TIMEOUT_MS', '65000');
    expect(loadConfig().httpTimeouts).toEqual({ requestTimeoutMs: 5_000, headersTimeoutMs: 2_000, keepAliveTimeoutMs: 65_000 });
  });

  it('keep the headers deadline within the request deadline when only the latter is set', () => {
    vi.stubEnv('HTTP_REQUEST_TIMEOUT_MS', '4000');
    vi.stubEnv('HTTP_HEADERS_TIMEOUT_MS', '');
    expect(loadConfig().httpTimeouts.headersTimeoutMs).toBe(4_000);
  });

  it('fail loudly on a headers deadline past the request deadline, or on zero', () => {
    vi.stubEnv('HTTP_REQUEST_TIMEOUT_MS', '1000');
    vi.stubEnv('HTTP_HEADERS_TIMEOUT_MS', '2000');
    expect(() => loadConfig()).toThrow(/HTTP_HEADERS_TIMEOUT_MS/);
    vi.stubEnv('HTTP_HEADERS_TIMEOUT_MS', '');
    vi.stubEnv('HTTP_REQUEST_TIMEOUT_MS', '0');
    expect(() => loadConfig()).toThrow(/HTTP_REQUEST_TIMEOUT_MS/);
  });
});
