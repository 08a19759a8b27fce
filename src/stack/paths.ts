import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { chmod, mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Derived from this file's location so the repo can live anywhere. */
export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** True when any user may enter `path` and each folder above it (o+x all the way up). */
export function othersCanTraverse(path: string): boolean {
  for (let dir = resolve(path); ; dir = dirname(dir)) {
    try {
      if ((statSync(dir).mode & 0o001) === 0) return false;
    } catch {
      return false;
    }
    if (dirname(dir) === dir) return true;
  }
}

/**
 * Where `.tools` and `.data` live: the repository itself, normally. Run as root from a
 * repository the unprivileged service users cannot enter (say, under a 0700 home), they move
 * to a folder of this machine named after the repository's path, rather than loosening the
 * permissions of folders the project does not own. STACK_HOME chooses the place explicitly.
 */
function stackHome(): string {
  const chosen = process.env.STACK_HOME?.trim();
  if (chosen) return resolve(chosen);
  if (process.getuid?.() !== 0 || othersCanTraverse(repoRoot)) return repoRoot;
  const key = createHash('sha256').update(repoRoot).digest('hex').slice(0, 12);
  return join('/var/lib/cqrs-orders', key);
}

export const stackHomeDir = stackHome();
/** Downloaded, pinned distributions (git-ignored when inside the repository). */
export const toolsDir = join(stackHomeDir, '.tools');
/** Service state and logs (git-ignored when inside the repository). */
export const dataDir = join(stackHomeDir, '.data');
export const logsDir = join(dataDir, 'logs');

export function logFile(service: string): string {
  return join(logsDir, `${service}.log`);
}

/**
 * Service users (postgres, opensearch) must traverse these folders; chmod
 * because mkdir's mode is narrowed by the umask, which may be 077.
 */
export async function ensureSharedDir(path: string): Promise<void> {
  const firstCreated = await mkdir(path, { recursive: true });
  await chmod(path, 0o755);
  // Folders mkdir made above `path` got the narrowed mode too.
  if (firstCreated) {
    for (let dir = dirname(resolve(path)); dir.startsWith(firstCreated); dir = dirname(dir)) await chmod(dir, 0o755);
  }
}

export function portFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`${name} must be a TCP port (1-65535), got "${raw}"`);
  }
  return port;
}

/** Service endpoints come from the environment only when it says something. */
export function envValue(name: string): string | undefined {
  const value = process.env[name]?.trim();
  return value ? value : undefined;
}
