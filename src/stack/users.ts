import { dirname } from 'node:path';
import { run } from './run.js';

/**
 * PostgreSQL and OpenSearch refuse to run as root, and sessions and CI run
 * as root; then each runs as its own unprivileged system user.
 */
export interface ServiceUser {
  name: string;
  uid: number;
  gid: number;
}

export function runningAsRoot(): boolean {
  return process.getuid?.() === 0;
}

/** Returns the user, creating it (no home, no login) on a fresh machine. */
export async function ensureServiceUser(name: string, log: (line: string) => void): Promise<ServiceUser> {
  const existing = await lookupUser(name);
  if (existing) return existing;
  const groupExists = await run('getent', ['group', name]).then(
    () => true,
    () => false,
  );
  const group = groupExists ? ['--gid', name] : ['--user-group'];
  const shell = ['--shell', '/usr/sbin/nologin', '--home-dir', '/nonexistent'];
  try {
    await run('useradd', ['--system', '--no-create-home', ...shell, ...group, name]);
    log(`created system user ${name}`);
  } catch (error) {
    // A concurrent run may have created it first; only a missing user is fatal.
    if (!(await lookupUser(name))) throw error;
  }
  const created = await lookupUser(name);
  if (!created) throw new Error(`System user ${name} could not be created`);
  return created;
}

async function lookupUser(name: string): Promise<ServiceUser | undefined> {
  try {
    const [, , uid, gid] = (await run('getent', ['passwd', name])).trim().split(':');
    return { name, uid: Number(uid), gid: Number(gid) };
  } catch {
    return undefined;
  }
}

/** Hands a folder the service writes to over to its user. */
export async function giveTo(user: ServiceUser, path: string): Promise<void> {
  await run('chown', ['-R', `${user.uid}:${user.gid}`, path]);
}

/**
 * Fails early and clearly when the service user cannot reach the repo
 * (e.g. it lives under a 0700 home), instead of a confusing crash later.
 * We do not loosen permissions outside the repo ourselves.
 */
export async function assertCanTraverse(user: ServiceUser, paths: readonly string[]): Promise<void> {
  const dirs = [...new Set(paths.flatMap(ancestors))].sort((a, b) => a.length - b.length);
  const script = 'for d do test -x "$d" || { echo "$d"; exit 1; }; done';
  try {
    await run('sh', ['-c', script, 'sh', ...dirs], { uid: user.uid, gid: user.gid });
  } catch (error) {
    const blocked = error instanceof Error ? error.message.trim().split('\n').pop() : undefined;
    throw new Error(
      `The unprivileged user "${user.name}" cannot enter ${blocked ?? 'the repository path'}. ` +
        'Make every parent folder of the repository traversable (chmod o+x) or move the repository.',
      { cause: error },
    );
  }
}

function ancestors(path: string): string[] {
  const result = [path];
  for (let dir = dirname(path); dir !== result[result.length - 1]; dir = dirname(dir)) result.push(dir);
  return result;
}
