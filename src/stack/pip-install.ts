import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { downloadProgress } from './download-progress.js';
import { run } from './run.js';
import type { Log } from './service.js';
import { pipDownloadSize } from './transfer-output.js';

export interface PipInstallOptions {
  label: string;
  log?: Log | undefined;
  signal?: AbortSignal | undefined;
}

const POLL_MS = 250;

/**
 * `pip install --no-deps --target` one pinned package, showing how far its
 * download is. pip draws no progress into a pipe, so the size comes from its
 * "Downloading … (44.5 MB)" line and the bytes from the wheel growing in a
 * temporary folder of our own (pip downloads into TMPDIR).
 */
export async function pipInstallWithProgress(requirement: string, target: string, options: PipInstallOptions): Promise<void> {
  const pipTmp = await mkdtemp(join(tmpdir(), 'pip-download-'));
  const progress = options.log ? downloadProgress({ label: options.label, log: options.log, terminal: terminalOf() }) : undefined;
  let total: number | undefined;
  let received = 0;
  const poll = setInterval(() => {
    // Once downloaded, pip unpacks and deletes the wheel: never count backwards.
    void wheelBytes(pipTmp).then((bytes) => {
      received = Math.max(received, bytes);
      progress?.update(received, total);
    });
  }, POLL_MS);
  const pip = ['-m', 'pip', 'install', '--disable-pip-version-check', '--no-input', '--no-cache-dir'];
  try {
    await run('python3', [...pip, '--no-deps', '--target', target, requirement], {
      env: { ...process.env, TMPDIR: pipTmp },
      signal: options.signal,
      onOutput: (text) => {
        total = pipDownloadSize(text) ?? total;
      },
    });
    if (total !== undefined) progress?.update(total, total);
    progress?.finish();
  } catch (error) {
    progress?.stop();
    throw error;
  } finally {
    clearInterval(poll);
    await rm(pipTmp, { recursive: true, force: true });
  }
}

function terminalOf(): NodeJS.WriteStream | undefined {
  return process.stdout.isTTY ? process.stdout : undefined;
}

/** Size of the wheels pip is downloading; extracted files are not counted. */
async function wheelBytes(dir: string): Promise<number> {
  const entries = await readdir(dir, { recursive: true }).catch(() => [] as string[]);
  let bytes = 0;
  for (const entry of entries.filter((name) => name.endsWith('.whl'))) {
    bytes += await stat(join(dir, entry)).then((s) => s.size, () => 0);
  }
  return bytes;
}
