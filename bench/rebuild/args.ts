import { canRebuild } from '../../src/read-models/rebuild/shadow.js';
import { readModels } from '../../src/read-models/registry.js';
import { boundedInteger } from '../support/bounded-integer.js';

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

function integer(name: string, range: readonly [number, number], fallback: number, argv: readonly string[]): number {
  const raw = option(argv, name);
  return raw === undefined ? fallback : boundedInteger(name, range, raw);
}

export function parseRebuildArgs(argv: readonly string[]): RebuildBenchArgs {
  const rebuild = (option(argv, 'models') ?? 'order-status').split(',').filter(Boolean);
  const unknown = rebuild.filter((name) => !rebuildable().includes(name));
  if (unknown.length > 0) throw new Error(`--models: not a rebuildable read model: ${unknown.join(', ')} (rebuildable: ${rebuildable().join(', ')})`);
  return {
    events: integer('events', [1_000, 10_000_000], 100_000, argv),
    rebuild,
    drainSeconds: integer('drain', [10, 86_400], 1_800, argv),
  };
}
