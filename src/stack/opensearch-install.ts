import { chmod, mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { downloadProgress } from './download-progress.js';
import { installOnce } from './install.js';
import { toolsDir } from './paths.js';
import { findOnPath, run } from './run.js';
import type { Log } from './service.js';
import { mavenProgressReader } from './transfer-output.js';

export const OPENSEARCH_VERSION = '2.19.6';
export const distributionDir = join(toolsDir, `opensearch-${OPENSEARCH_VERSION}`);

const ARTIFACT = `org.opensearch.distribution.integ-test-zip:opensearch:${OPENSEARCH_VERSION}:zip`;
// Fully qualified so Maven does not pick whatever plugin version is newest.
const COPY_GOAL = 'org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy';
// Maven's own cache (plugins, the zip) stays in the project too, not in ~/.m2.
const mavenRepo = join(toolsDir, 'maven-repository');

/** The no-JDK distribution (runs on our Java 17), fetched through Maven. */
export function installOpenSearch(javaHome: string, log: Log, signal: AbortSignal): Promise<boolean> {
  return installOnce(distributionDir, async (scratch) => {
    const downloads = join(scratch, 'download');
    const unpacked = join(scratch, 'unpacked');
    await mkdir(unpacked);
    await fetchZip(javaHome, downloads, log, signal);
    const zip = join(downloads, `opensearch-${OPENSEARCH_VERSION}.zip`);
    await unpack(zip, unpacked, signal);
    const home = join(unpacked, `opensearch-${OPENSEARCH_VERSION}`);
    await makeScriptsExecutable(join(home, 'bin'));
    return home;
  });
}

// Not -q and not -B: both silence Maven's transfer progress, which is what
// the user watches during the longest step of a first start.
async function fetchZip(javaHome: string, outputDir: string, log: Log, signal: AbortSignal): Promise<void> {
  const progress = downloadProgress({
    label: `OpenSearch ${OPENSEARCH_VERSION} through Maven`,
    log,
    terminal: process.stdout.isTTY ? process.stdout : undefined,
  });
  const mvnArgs = [`-Dmaven.repo.local=${mavenRepo}`, '-Dstyle.color=never', COPY_GOAL];
  mvnArgs.push(`-Dartifact=${ARTIFACT}`, `-DoutputDirectory=${outputDir}`);
  try {
    await run('mvn', mvnArgs, {
      env: { ...process.env, JAVA_HOME: javaHome },
      signal,
      onOutput: mavenProgressReader(`opensearch-${OPENSEARCH_VERSION}.zip`, (received, total) => progress.update(received, total)),
    });
  } catch (error) {
    progress.stop();
    throw error;
  }
  progress.finish();
}

/** `unzip` is not on every Debian base image; python3 is (pip needs it anyway). */
async function unpack(zip: string, into: string, signal: AbortSignal): Promise<void> {
  if (await findOnPath('unzip')) {
    await run('unzip', ['-q', zip, '-d', into], { signal });
  } else {
    await run('python3', ['-m', 'zipfile', '-e', zip, into], { signal });
  }
}

/** Python's zipfile drops permission bits; only the launcher scripts need them. */
async function makeScriptsExecutable(binDir: string): Promise<void> {
  for (const name of await readdir(binDir)) await chmod(join(binDir, name), 0o755);
}
