import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { installOnce } from '../../src/stack/install.js';

let dir = '';
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'stack-install-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('installOnce', () => {
  it('builds once and publishes by rename', async () => {
    const target = join(dir, 'tool-1.0');
    let builds = 0;
    const build = async (scratch: string): Promise<string> => {
      builds += 1;
      await writeFile(join(scratch, 'bin'), 'x');
      return scratch;
    };
    const [first, concurrent] = await Promise.all([installOnce(target, build), installOnce(target, build)]);
    expect([first, concurrent]).toEqual([true, true]);
    expect(await installOnce(target, build)).toBe(false);
    expect(builds).toBe(1);
    expect(await readdir(dir)).toEqual(['tool-1.0']);
  });

  it('leaves nothing behind when the build fails, so the next run retries', async () => {
    const target = join(dir, 'tool-1.0');
    const failing = installOnce(target, async () => Promise.reject(new Error('download failed')));
    await expect(failing).rejects.toThrow('download failed');
    expect(await readdir(dir)).toEqual([]);
    expect(await installOnce(target, async (scratch) => scratch)).toBe(true);
    expect(existsSync(target)).toBe(true);
  });

  it('removes scratch folders of attempts whose process is gone', async () => {
    const abandoned = join(dir, 'tool-1.0.partial-999999999');
    await mkdir(abandoned);
    await installOnce(join(dir, 'tool-1.0'), async (scratch) => scratch);
    expect(existsSync(abandoned)).toBe(false);
  });
});
