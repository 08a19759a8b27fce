import { existsSync } from 'node:fs';
import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { ensureSharedDir } from './paths.js';

/**
 * Installs into `finalDir` exactly once. Work happens in a scratch folder
 * that is renamed into place only when complete, so an interrupted attempt
 * never leaves a half-installed tool that a later run would trust.
 *
 * `build` fills the scratch folder and returns the folder to publish
 * (the scratch folder itself or something inside it).
 */
export function installOnce(finalDir: string, build: (scratch: string) => Promise<string>): Promise<boolean> {
  // Callers in one process share an attempt: the scratch folder is named by pid.
  let attempt = inProcess.get(finalDir);
  if (!attempt) {
    attempt = install(finalDir, build).finally(() => inProcess.delete(finalDir));
    inProcess.set(finalDir, attempt);
  }
  return attempt;
}

const inProcess = new Map<string, Promise<boolean>>();

async function install(finalDir: string, build: (scratch: string) => Promise<string>): Promise<boolean> {
  if (existsSync(finalDir)) return false;
  const parent = dirname(finalDir);
  await ensureSharedDir(parent);
  await removeAbandonedScratch(parent, basename(finalDir));
  const scratch = join(parent, `${basename(finalDir)}.partial-${process.pid}`);
  await rm(scratch, { recursive: true, force: true });
  await mkdir(scratch);
  try {
    const result = await build(scratch);
    await publish(result, finalDir);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
  return true;
}

async function publish(from: string, to: string): Promise<void> {
  try {
    await rename(from, to);
  } catch (error) {
    // A concurrent install won the race; its result is as good as ours.
    if (!existsSync(to)) throw error;
  }
}

/** Scratch folders of attempts whose process is gone (killed, crashed). */
async function removeAbandonedScratch(parent: string, name: string): Promise<void> {
  const prefix = `${name}.partial-`;
  for (const entry of await readdir(parent)) {
    if (!entry.startsWith(prefix)) continue;
    const pid = Number.parseInt(entry.slice(prefix.length), 10);
    if (Number.isInteger(pid) && !isAlive(pid)) await rm(join(parent, entry), { recursive: true, force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
