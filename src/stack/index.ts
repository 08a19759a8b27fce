/**
 * Local PostgreSQL, Temporal and OpenSearch for development and tests,
 * without Docker: each service comes from its environment variable, an
 * instance already answering on the default port, or a pinned download
 * started (and later stopped) by us.
 */
import { openSearchService } from './opensearch.js';
import { postgresService } from './postgres.js';
import { provide, type Log, type Provided, type ServiceTiming } from './service.js';
import { temporalService } from './temporal.js';
import { describeError } from './wait.js';

export type { ServiceTiming } from './service.js';
export { temporalExecutablePath } from './temporal.js';
export { waitFor } from './wait.js';

export interface StackEndpoints {
  databaseUrl: string;
  temporalAddress: string;
  temporalUiUrl: string | null;
  opensearchUrl: string;
}

export interface RunningStack extends StackEndpoints {
  timings: ServiceTiming[];
  /** Stops only what this call started; reused and env-provided services keep running. */
  stop(): Promise<void>;
}

export interface StartStackOptions {
  log?: (line: string) => void;
  /** Aborts a start in progress (e.g. Ctrl-C during a first download); started services are stopped. */
  signal?: AbortSignal;
}

export async function startStack(options: StartStackOptions = {}): Promise<RunningStack> {
  const log: Log = options.log ?? (() => undefined);
  // One service failing stops the others from waiting out their long deadlines.
  const failed = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, failed.signal]) : failed.signal;
  const abortOthers = <T>(promise: Promise<T>): Promise<T> =>
    promise.catch((error: unknown) => {
      failed.abort(new Error('another service failed to start'));
      throw error;
    });
  const results = await Promise.allSettled([
    abortOthers(provide(postgresService(), log, signal)),
    abortOthers(provide(temporalService(), log, signal)),
    abortOthers(provide(openSearchService(), log, signal)),
  ]);
  const [postgres, temporal, opensearch] = results;
  if (postgres.status === 'fulfilled' && temporal.status === 'fulfilled' && opensearch.status === 'fulfilled') {
    return running(postgres.value, temporal.value, opensearch.value);
  }
  await Promise.all(results.map((result) => (result.status === 'fulfilled' ? result.value.stop() : undefined)));
  throw startFailure(results, failed.signal.reason);
}

function running(
  postgres: Provided<{ databaseUrl: string }>,
  temporal: Provided<{ temporalAddress: string; temporalUiUrl: string | null }>,
  opensearch: Provided<{ opensearchUrl: string }>,
): RunningStack {
  const services = [postgres, temporal, opensearch];
  let stopping: Promise<void> | undefined;
  return {
    databaseUrl: postgres.endpoints.databaseUrl,
    temporalAddress: temporal.endpoints.temporalAddress,
    temporalUiUrl: temporal.endpoints.temporalUiUrl,
    opensearchUrl: opensearch.endpoints.opensearchUrl,
    timings: services.map((service) => service.timing),
    stop: () => (stopping ??= Promise.all(services.map((service) => service.stop())).then(() => undefined)),
  };
}

/** Reports the root causes, not the services we cancelled because of them. */
function startFailure(results: PromiseSettledResult<unknown>[], cancelled: unknown): Error {
  const names = ['postgres', 'temporal', 'opensearch'];
  const reasons = results.flatMap((result, index) =>
    result.status === 'rejected' ? [{ service: names[index], error: result.reason as unknown }] : [],
  );
  const causes = reasons.filter(({ error }) => !causedBy(error, cancelled));
  const shown = causes.length > 0 ? causes : reasons;
  const message = shown.map(({ service, error }) => `${service}: ${describeError(error)}`).join('\n\n');
  return new Error(`The stack did not start.\n${message}`, { cause: shown[0]?.error });
}

function causedBy(error: unknown, reason: unknown): boolean {
  for (let current = error; current instanceof Error; current = current.cause) {
    if (current === reason) return true;
  }
  return false;
}
