import { ApplicationFailure } from '@temporalio/activity';
import type { Db } from '../src/db/database.js';
import { StoreMissingError } from '../src/read-models/failures/apply-with-holds.js';
import { FailureTypes } from '../src/read-models/failures/failure-types.js';
import type { ReadModel, ReadModelDeps, SearchRebuild } from '../src/read-models/read-model.js';
import { openShadowDeps, replayChunk, replayToHead, ReplayRefusedError, type ReplayChunk } from '../src/read-models/rebuild/replay.js';
import { canRebuild, prepareShadowSchema, shadowSchemaExists, swapBookkeepingIn, swapShadowIn } from '../src/read-models/rebuild/shadow.js';
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
  if (model && canRebuild(model)) return model;
  throw ApplicationFailure.nonRetryable(`read model "${name}" cannot be rebuilt by this worker`, FailureTypes.unknownReadModel, { readModel: name });
}

/** A refused event, or a rebuild index deleted under the replay, fails the rebuild for good; the live model is untouched. */
function permanent(error: unknown): unknown {
  if (error instanceof StoreMissingError) {
    return ApplicationFailure.nonRetryable(`the rebuild cannot write: ${error.reason}`, FailureTypes.storeMissing, { reason: error.reason });
  }
  if (!(error instanceof ReplayRefusedError)) return error;
  return ApplicationFailure.nonRetryable(error.message, FailureTypes.eventRejected, { eventIds: error.rejected.map((r) => r.event.eventId).slice(0, 50) });
}

/**
 * An OpenSearch model's swap, once its rebuild index has reached the head: the live alias
 * moves onto it in one request, then the ledger, holds and checkpoint in one transaction,
 * then the old index goes. A retry after the transaction only cleans up.
 */
async function swapSearchIn(conn: Db, deps: ReadModelDeps, model: ReadModel, search: SearchRebuild, from: number, replay: () => Promise<ReplayChunk>): Promise<ReplayChunk> {
  if (!(await shadowSchemaExists(conn, model))) {
    await search.cleanUp(deps, []);
    return { next: from, applied: 0, head: from };
  }
  const rest = await replay();
  const replaced = await search.swapAlias(deps);
  await conn.transaction().execute((trx) => swapBookkeepingIn(trx, model));
  await search.cleanUp(deps, replaced);
  return rest;
}

/**
 * The steps of a rebuild, one Temporal activity each, for PostgreSQL and OpenSearch models
 * alike. Each opens its own small pool onto the model's shadow schema and closes it before
 * returning.
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
      const model = resolve(models, readModel);
      await prepareShadowSchema(deps.db, model);
      await model.searchRebuild?.prepare(deps);
    },
    replayChunk: ({ readModel, from, limit }: ReplayChunkInput): Promise<ReplayChunk> =>
      inShadow(readModel, (model, shadow) => replayChunk(deps.db, shadow, model, from, limit)),
    /** Under the swap lock no live batch writes this model: replay the rest, then swap. */
    swapIn: ({ readModel, from, limit }: ReplayChunkInput): Promise<ReplayChunk> =>
      inShadow(readModel, (model, shadow) => withSwapLock(deps.db, model.name, async (conn) => {
        const replay = () => replayToHead(deps.db, shadow, model, from, limit);
        if (model.searchRebuild) return swapSearchIn(conn, deps, model, model.searchRebuild, from, replay);
        const rest = await replay();
        await swapShadowIn(conn, model);
        return rest;
      })),
  };
}
