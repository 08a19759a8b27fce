import { describe, expect, it } from 'vitest';
import type { ReadModel } from '../../src/read-models/read-model.js';
import { canRebuild } from '../../src/read-models/rebuild/shadow.js';
import { readModels } from '../../src/read-models/registry.js';

const bare: ReadModel = { name: 'bare', version: 1, store: 'opensearch', handles: 'all', apply: async () => ({ applied: 0, skipped: 0 }) };

describe('which read models a rebuild can replace', () => {
  it('every registered model, support search included', () => {
    expect(readModels.filter((model) => !canRebuild(model)).map((m) => m.name)).toEqual([]);
  });

  it('not a model that declares neither its tables nor a search rebuild (409 read-model-not-rebuildable)', () => {
    expect(canRebuild(bare)).toBe(false);
    expect(canRebuild({ ...bare, store: 'postgres' })).toBe(false);
    expect(canRebuild({ ...bare, store: 'postgres', tables: [] })).toBe(false);
  });
});
