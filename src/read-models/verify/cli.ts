/**
 * `npm run verify`: compares the write model and every registered read model with a fresh
 * fold of the outbox log, prints what matches and what does not, and exits 1 on any finding.
 */
import { loadConfig } from '../../config.js';
import { createDb, createPool } from '../../db/database.js';
import { openSearchService } from '../../stack/opensearch.js';
import { postgresService } from '../../stack/postgres.js';
import type { ServiceDefinition } from '../../stack/service.js';
import { describeError } from '../../stack/wait.js';
import { createSearchClient } from '../../search/client.js';
import { readModelNames } from '../registry.js';
import { waitForCatchUp } from './catch-up.js';
import { formatVerifyRun, parseVerifyArgs, USAGE, UsageError } from './report.js';
import { allFindings, verifyReadModels } from './run.js';

/**
 * The environment variable, else the project's own service already running on its port. A
 * verifier never starts a service: an empty new one would have nothing to compare.
 */
async function runningService<E>(def: ServiceDefinition<E>): Promise<E> {
  const fromEnv = process.env[def.envVar]?.trim();
  const endpoints = fromEnv ? def.fromEnv(fromEnv) : await def.local();
  const healthy = endpoints !== undefined && (await def.probe(endpoints).catch(() => false));
  if (!healthy) throw new Error(`no ${def.service} to verify: set ${def.envVar}, or start the project's services (npm start)`);
  return endpoints;
}

async function main(): Promise<number> {
  const options = parseVerifyArgs(process.argv.slice(2));
  if (options.help) {
    console.log(USAGE);
    return 0;
  }
  const { searchIndexPrefix } = loadConfig();
  const [{ databaseUrl }, { opensearchUrl }] = await Promise.all([runningService(postgresService()), runningService(openSearchService())]);
  const db = createDb(createPool({ connectionString: databaseUrl, maxConnections: 4, applicationName: 'cqrs-orders-verify' }));
  const search = createSearchClient(opensearchUrl);
  try {
    if (options.waitMs > 0) await waitForCatchUp(db, readModelNames(), options.waitMs);
    const run = await verifyReadModels({ db, search, searchIndexPrefix });
    for (const line of formatVerifyRun(run, options.show)) console.log(line);
    return allFindings(run).length === 0 ? 0 : 1;
  } finally {
    await Promise.allSettled([db.destroy(), search.close()]);
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    const message = describeError(error);
    console.error(`verify: ${message}`);
    if (/relation ".*" does not exist/.test(message)) console.error('The database is not migrated to this version: start the app once (npm start).');
    if (error instanceof UsageError) console.error(USAGE);
    process.exit(2);
  },
);
