import { canRebuild } from '../../src/read-models/rebuild/shadow.js';
import { readModels } from '../../src/read-models/registry.js';

export interface RebuildBenchArgs {
  events: number;
  /** Read models to rebuild, one after the other. */
  rebuild: string[];
  drainSeconds: number;
}

const rebuildable = () => readModels.filter(canRebuild).map((m) => m.name);

function option(argv: readonly string[], name: string): string | undefined {
  const at = argv.indexOf(`--${name}`);
  return at >= 0 ? argv[at + 1] : undefined;
}

function integer(value: string | undefined, fallback: number, min: number, max: number, name: string): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`--${name} must be an integer from ${min} to ${max}`);
  return n;
}

export function parseRebuildArgs(argv: readonly string[]): RebuildBenchArgs {
  const rebuild = (option(argv, 'models') ?? 'order-status').split(',').filter(Boolean);
  const unknown = rebuild.filter((name) => !rebuildable().includes(name));
  if (unknown.length > 0) throw new Error(`--models: not a rebuildable read model: ${unknown.join(', ')} (rebuildable: ${rebuildable().join(', ')})`);
  return {
    events: integer(option(argv, 'events'), 100_000, 1_000, 10_000_000, 'events'),
    rebuild,
    drainSeconds: integer(option(argv, 'drain'), 1_800, 10, 86_400, 'drain'),
  };
}
