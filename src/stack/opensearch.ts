import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { findJava17Home } from './java.js';
import { distributionDir, installOpenSearch, OPENSEARCH_VERSION } from './opensearch-install.js';
import { dataDir, ensureSharedDir, portFromEnv } from './paths.js';
import type { Log, ServiceDefinition } from './service.js';
import { assertCanTraverse, ensureServiceUser, giveTo, runningAsRoot, type ServiceUser } from './users.js';

export interface OpenSearchEndpoints {
  opensearchUrl: string;
}

/** Everything OpenSearch writes (config + keystore, data, logs, tmp) lives here, not in .tools. */
const home = join(dataDir, 'opensearch');
const dirs = { config: join(home, 'config'), data: join(home, 'data'), logs: join(home, 'logs'), tmp: join(home, 'tmp') };

export function openSearchService(): ServiceDefinition<OpenSearchEndpoints> {
  const port = portFromEnv('STACK_OPENSEARCH_PORT', 9200);
  const endpoints = { opensearchUrl: `http://127.0.0.1:${port}` };
  let javaHome = '';
  let user: ServiceUser | undefined;
  return {
    service: 'opensearch',
    envVar: 'OPENSEARCH_URL',
    port,
    // First start on 2 cores takes 20-60 s.
    startTimeoutMs: 180_000,
    fromEnv: (opensearchUrl) => ({ opensearchUrl }),
    local: async () => endpoints,
    probe: ({ opensearchUrl }) => clusterUsable(opensearchUrl),
    async provision(log: Log, signal: AbortSignal) {
      javaHome = await findJava17Home();
      const began = performance.now();
      if (await installOpenSearch(javaHome, log, signal)) {
        log(`installed ${OPENSEARCH_VERSION} in ${((performance.now() - began) / 1000).toFixed(1)} s`);
      }
      // OpenSearch refuses to run as root.
      user = runningAsRoot() ? await ensureServiceUser('opensearch', log) : undefined;
      await prepareHome();
      if (user) {
        await giveTo(user, home);
        await assertCanTraverse(user, [join(distributionDir, 'lib'), join(javaHome, 'bin'), home]);
      }
    },
    async launch() {
      return {
        endpoints,
        command: join(distributionDir, 'bin', 'opensearch'),
        args: settings(port),
        options: { cwd: home, uid: user?.uid, gid: user?.gid, env: environment(javaHome) },
        stopTimeoutMs: 60_000,
      };
    },
  };
}

function settings(port: number): string[] {
  const values = {
    'cluster.name': 'cqrs-orders-dev',
    'node.name': 'dev',
    'discovery.type': 'single-node',
    'network.host': '127.0.0.1',
    'http.port': String(port),
    'transport.port': String(port + 100),
    'path.data': dirs.data,
    'path.logs': dirs.logs,
    // A nearly full dev disk must not turn indices read-only mid-test.
    'cluster.routing.allocation.disk.threshold_enabled': 'false',
  };
  return Object.entries(values).flatMap(([key, value]) => ['-E', `${key}=${value}`]);
}

function environment(javaHome: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    OPENSEARCH_JAVA_HOME: javaHome,
    OPENSEARCH_JAVA_OPTS: '-Xms512m -Xmx512m',
    OPENSEARCH_PATH_CONF: dirs.config,
    OPENSEARCH_TMPDIR: dirs.tmp,
  };
}

/**
 * A copy of the distribution's config (refreshed each start; the keystore
 * OpenSearch adds is kept), with the JVM's relative paths made absolute:
 * the launcher cd's into the distribution, which stays read-only.
 */
async function prepareHome(): Promise<void> {
  if (/\s/.test(home)) throw new Error(`OpenSearch's launcher cannot handle whitespace in ${home}`);
  await ensureSharedDir(home);
  for (const dir of Object.values(dirs)) await mkdir(dir, { recursive: true });
  await cp(join(distributionDir, 'config'), dirs.config, { recursive: true, force: true });
  const jvmOptions = join(dirs.config, 'jvm.options');
  await writeFile(jvmOptions, absoluteJvmPaths(await readFile(jvmOptions, 'utf8')));
}

function absoluteJvmPaths(options: string): string {
  const replacements: Array<[string, string]> = [
    ['-XX:HeapDumpPath=data', `-XX:HeapDumpPath=${dirs.data}`],
    ['-XX:ErrorFile=logs/', `-XX:ErrorFile=${dirs.logs}/`],
    // Fewer, smaller GC logs than the production default of 32 x 64 MB.
    [
      'file=logs/gc.log:utctime,pid,tags:filecount=32,filesize=64m',
      `file=${dirs.logs}/gc.log:utctime,pid,tags:filecount=4,filesize=16m`,
    ],
  ];
  return replacements.reduce((text, [from, to]) => {
    if (!text.includes(from)) {
      throw new Error(`jvm.options of OpenSearch ${OPENSEARCH_VERSION} lacks "${from}"; update opensearch.ts`);
    }
    return text.replace(from, to);
  }, options);
}

/** Usable = answers and has all primaries assigned (yellow or green). */
async function clusterUsable(baseUrl: string): Promise<boolean> {
  const url = new URL('_cluster/health?wait_for_status=yellow&timeout=1s', baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
  const headers: Record<string, string> = {};
  if (url.username) {
    // fetch() rejects URLs with credentials; send them as Basic auth instead.
    const basic = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
    headers.authorization = `Basic ${Buffer.from(basic).toString('base64')}`;
    url.username = url.password = '';
  }
  const response = await fetch(url, { headers, signal: AbortSignal.timeout(5000) });
  const body = (await response.json().catch(() => ({}))) as { status?: string };
  if (body.status === 'green' || body.status === 'yellow') return true;
  throw new Error(`cluster health: HTTP ${response.status}, status ${body.status ?? 'unknown'}`);
}
