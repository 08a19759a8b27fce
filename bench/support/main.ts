import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

/** Thrown for a missing prerequisite: printed as-is, without a stack, and exits non-zero. */
export class PrerequisiteMissing extends Error {}

/** True when the module with this import.meta.url is the script node was started with. */
export function isMain(moduleUrl: string): boolean {
  const entry = process.argv[1];
  if (entry === undefined) return false;
  try {
    return pathToFileURL(realpathSync(entry)).href === moduleUrl;
  } catch {
    return false;
  }
}

/**
 * Runs a bench entry point and exits explicitly: native handles (Temporal's core, sockets
 * kept alive) must not keep a finished bench alive, and a failure must exit non-zero.
 */
export function runMain(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      if (error instanceof PrerequisiteMissing) console.error(error.message);
      else console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
      process.exit(error instanceof PrerequisiteMissing ? 2 : 1);
    },
  );
}
