import { chmod, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Derived from this file's location so the repo can live anywhere. */
export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
/** Downloaded, pinned distributions (git-ignored). */
export const toolsDir = join(repoRoot, '.tools');
/** Service state and logs (git-ignored). */
export const dataDir = join(repoRoot, '.data');
export const logsDir = join(dataDir, 'logs');

export function logFile(service: string): string {
  return join(logsDir, `${service}.log`);
}

/**
 * Service users (postgres, opensearch) must traverse these folders; chmod
 * because mkdir's mode is narrowed by the umask, which may be 077.
 */
export async function ensureSharedDir(path: string): Promise<void> {
  await mkdir(path, { recursive: true });
  await chmod(path, 0o755);
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
