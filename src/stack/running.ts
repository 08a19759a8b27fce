/**
 * For `npm run api|relay|worker`: the services a stack already runs, never started here. Each
 * comes from its environment variable or, when that is unset, the local instance `npm start` /
 * `npm run stack` run (PostgreSQL with its stored credentials).
 */
import { openSearchService } from './opensearch.js';
import { envValue } from './paths.js';
import { postgresService } from './postgres.js';
import type { ServiceDefinition } from './service.js';
import { temporalService } from './temporal.js';
import { describeError, waitFor } from './wait.js';

export interface ServiceEndpoints {
  databaseUrl: string;
  temporalAddress: string;
  opensearchUrl: string;
}

/** A service just starting (another shell's `npm run stack`) gets a short grace period. */
const ANSWER_WITHIN_MS = 10_000;

export async function findRunningServices(): Promise<ServiceEndpoints> {
  const [postgres, temporal, opensearch] = await Promise.allSettled([
    running(postgresService()), running(temporalService()), running(openSearchService()),
  ]);
  if (postgres.status === 'fulfilled' && temporal.status === 'fulfilled' && opensearch.status === 'fulfilled') {
    return { databaseUrl: postgres.value.databaseUrl, temporalAddress: temporal.value.temporalAddress, opensearchUrl: opensearch.value.opensearchUrl };
  }
  // Every missing service at once: one round of fixing, not three.
  const reasons = [postgres, temporal, opensearch].flatMap((result) => (result.status === 'rejected' ? [describeError(result.reason)] : []));
  throw new Error(reasons.join('\n'));
}

async function running<E>(def: ServiceDefinition<E>): Promise<E> {
  const fromEnv = envValue(def.envVar);
  const endpoints = fromEnv !== undefined ? def.fromEnv(fromEnv) : await def.local();
  const where = fromEnv !== undefined ? `${def.envVar}` : `port ${def.port}`;
  const advice = `Start the services with \`npm run stack\` (or \`npm start\`) in another shell, or set ${def.envVar}.`;
  if (endpoints === undefined) throw new Error(`${def.service}: no ${def.envVar} and no local instance set up. ${advice}`);
  try {
    await waitFor(() => def.probe(endpoints), { timeoutMs: ANSWER_WITHIN_MS, intervalMs: 500, description: `${def.service} on ${where}` });
  } catch (error) {
    throw new Error(`${def.service}: nothing usable answers on ${where} (${describeError(error)}). ${advice}`, { cause: error });
  }
  return endpoints;
}
