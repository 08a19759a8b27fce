import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

/** `bench/results/<bench>-<time>` (no extension), its folder created; the folder is git-ignored. */
export async function newResultBase(bench: string): Promise<string> {
  const dir = fileURLToPath(new URL('../results/', import.meta.url));
  await mkdir(dir, { recursive: true });
  return `${dir}${bench}-${new Date().toISOString().replace(/[:.]/g, '-')}`;
}

/** Writes `result` as `bench/results/<bench>-<time>.json` and returns the file's path. */
export async function writeResultJson(bench: string, result: unknown): Promise<string> {
  const file = `${await newResultBase(bench)}.json`;
  await writeFile(file, `${JSON.stringify(result, null, 2)}\n`);
  return file;
}
