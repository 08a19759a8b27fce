import { ApplicationFailure } from '@temporalio/activity';
import { FailureTypes } from '../src/read-models/failures/failure-types.js';
import type { ReadModel, ReadModelDeps } from '../src/read-models/read-model.js';
import { openShadowDeps, replayChunk, replayToHead, ReplayRefusedError, type ReplayChunk } from '../src/read-models/rebuild/replay.js';
import { prepareShadowSchema, swapShadowIn } from '../src/read-models/rebuild/shadow.js';
import { withSwapLock } from '../src/read-models/rebuild/swap-lock.js';

export interface RebuildStepInput {
  readModel: string;
}

export interface ReplayChunkInput extends RebuildStepInput {
  from: number;
  limit: number;
}

function resolve(models: readonly ReadModel[], name: string): ReadModel {
  const model = models.find((m) => m.name === name);
  if (model?.store === 'postgres' && model.tables?.length) return model;
  throw ApplicationFailure.nonRetryable(`read model "${name}" cannot be rebuilt by this worker`, FailureTypes.unknownReadModel, { readModel: name });
}

/** A refused event fails the rebuild for good; the live model is untouched. */
function permanent(error: unknown): unknown {
  if (!(error instanceof ReplayRefusedError)) return error;
  return ApplicationFailure.nonRetryable(error.message, FailureTypes.eventRejected, { eventIds: error.rejected.map((r) => r.event.eventId).slice(0, 50) });
}

/**
 * The steps of a rebuild, one Temporal activity each. Each opens its own small pool onto the
 * model's shadow schema and closes it before returning.
 */
export function createRebuildActivities(deps: ReadModelDeps, models: readonly ReadModel[], databaseUrl: string) {
  const inShadow = async <T>(name: string, step: (model: ReadModel, shadow: ReadModelDeps) => Promise<T>): Promise<T> => {
    const model = resolve(models, name);
    const shadow = openShadowDeps(databaseUrl, deps, model);
    try {
      return await step(model, shadow);
    } catch (error) {
      throw permanent(error);
    } finally {
      await shadow.db.destroy();
    }
  };
  return {
    async prepareShadow({ readModel }: RebuildStepInput): Promise<void> {
      await prepareShadowSchema(deps.db, resolve(models, readModel));
    },
    replayChunk: ({ readModel, from, limit }: ReplayChunkInput): Promise<ReplayChunk> =>
      inShadow(readModel, (model, shadow) => replayChunk(deps.db, shadow, model, from, limit)),
    /** Under the swap lock no live batch writes this model: replay the rest, then swap. */
    swapIn: ({ readModel, from, limit }: ReplayChunkInput): Promise<ReplayChunk> =>
      inShadow(readModel, (model, shadow) => withSwapLock(deps.db, model.name, async (conn) => {
        const rest = await replayToHead(deps.db, shadow, model, from, limit);
        await swapShadowIn(conn, model);
        return rest;
      })),
  };
}
