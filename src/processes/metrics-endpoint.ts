import type { AppConfig } from '../config.js';
import { buildMetricsApp } from '../metrics/metrics-server.js';
import type { Log } from './log.js';
import type { Started } from './run-process.js';

/** METRICS_PORT: where a relay or worker serves `/metrics`; unset (the default) serves nothing. */
export function metricsPortFromEnv(value = process.env.METRICS_PORT): number | null {
  if (value === undefined || value.trim() === '') return null;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error('METRICS_PORT must be a port number (0-65535)');
  return port;
}

/**
 * Serves this process's metrics on METRICS_PORT (HTTP_HOST) next to a started relay or
 * worker, and stops them together. Scrapes need an operator token from API_TOKENS, so the
 * port refuses to open without one: a generated token nobody knows would lock every scraper out.
 */
export async function withMetricsEndpoint(config: AppConfig, log: Log, start: () => Promise<Started>): Promise<Started> {
  const port = metricsPortFromEnv();
  if (port === null) return start();
  if (![...config.apiTokens.values()].some((grant) => grant.role === 'operator')) {
    throw new Error('METRICS_PORT needs API_TOKENS with an operator token: scrapes are authenticated like the API');
  }
  const app = buildMetricsApp(config.apiTokens);
  const url = await app.listen({ host: config.httpHost, port });
  const part = await start().catch(async (error: unknown) => {
    await app.close();
    throw error;
  });
  log('metrics served', { url: `${url}/metrics` });
  return {
    ...part,
    async stop() {
      await app.close();
      await part.stop();
    },
  };
}
