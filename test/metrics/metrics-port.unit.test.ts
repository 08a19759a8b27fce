import { describe, expect, it } from 'vitest';
import { metricsPortFromEnv } from '../../src/processes/metrics-endpoint.js';

describe('METRICS_PORT', () => {
  it('is off unless set, and takes a port number', () => {
    expect(metricsPortFromEnv(undefined)).toBeNull();
    expect(metricsPortFromEnv('')).toBeNull();
    expect(metricsPortFromEnv('9464')).toBe(9464);
  });

  it('refuses anything but a port number at start-up', () => {
    for (const bad of ['http', '70000', '-1', '9.5']) expect(() => metricsPortFromEnv(bad)).toThrow(/METRICS_PORT/);
  });
});
