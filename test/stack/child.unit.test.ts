import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawnService, tailOfLog } from '../../src/stack/child.js';
import { waitFor } from '../../src/stack/wait.js';

let dir = '';
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'stack-child-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('spawnService', () => {
  it('reports an early exit and keeps the output for the error message', async () => {
    const logFile = join(dir, 'boom.log');
    const child = spawnService('sh', ['-c', 'echo "fatal: port in use"; exit 3'], { logFile });
    await expect(child.exited).resolves.toBe('exited with code 3');
    expect(await tailOfLog(logFile)).toContain('fatal: port in use');
  });

  it('stops gracefully with the configured signal', async () => {
    const logFile = join(dir, 'graceful.log');
    const script = 'trap "exit 0" INT; echo ready; while :; do sleep 0.05; done';
    const child = spawnService('sh', ['-c', script], { logFile, stopSignal: 'SIGINT' });
    await waitFor(async () => (await readFile(logFile, 'utf8')).includes('ready'), {
      timeoutMs: 2000,
      description: 'the trap to be installed',
    });
    await child.stop(5000);
    expect(await child.exited).toBe('exited with code 0');
  });

  it('kills the whole process group when the graceful signal is ignored', async () => {
    const logFile = join(dir, 'stubborn.log');
    const script = 'trap "" TERM; sleep 30 & echo $!; wait';
    const child = spawnService('sh', ['-c', script], { logFile });
    const grandchild = await waitFor(async () => Number((await readFile(logFile, 'utf8')).trim()) || undefined, {
      timeoutMs: 2000,
      description: 'the grandchild pid',
    });
    const began = Date.now();
    await child.stop(300);
    expect(Date.now() - began).toBeGreaterThanOrEqual(250);
    expect(await child.exited).toBe('was killed by SIGKILL');
    await waitFor(async () => !isAlive(grandchild), { timeoutMs: 2000, description: 'the grandchild to die' });
  });

  it('treats stop() on an exited process as done', async () => {
    const child = spawnService('true', [], { logFile: join(dir, 'true.log') });
    await child.exited;
    await child.stop(1000);
  });
});
