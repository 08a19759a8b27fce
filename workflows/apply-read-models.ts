import { patched, upsertSearchAttributes } from '@temporalio/workflow';
import { FAILED_READ_MODELS } from './search-attributes.js';

/** Histories recorded before this change failed at the first failed model; they must replay so. */
export const FAILED_READ_MODELS_PATCH = 'failed-read-models-attribute';

type ApplyOne<T> = (readModel: string) => Promise<T>;

/**
 * Runs `apply` for every read model at once. When one fails, the others still finish (a
 * failed model must not stop the rest), each failed name is added to `FailedReadModels` as it
 * fails, so operators can find the batch while other models still retry, and the workflow
 * then fails with the first failure as its cause.
 */
export async function applyReadModels<T>(names: readonly string[], apply: ApplyOne<T>): Promise<T[]> {
  const runs = names.map((name) => apply(name));
  try {
    return await Promise.all(runs);
  } catch (firstFailure) {
    // Checked only on a failure, so successful batches carry no extra marker event.
    if (!patched(FAILED_READ_MODELS_PATCH)) throw firstFailure;
    await settleRecordingFailures(names, runs);
    throw firstFailure;
  }
}

async function settleRecordingFailures(names: readonly string[], runs: Promise<unknown>[]): Promise<void> {
  const failed: string[] = [];
  const record = (name: string) => {
    failed.push(name);
    upsertSearchAttributes([{ key: FAILED_READ_MODELS, value: [...failed].sort() }]);
  };
  await Promise.all(runs.map((run, i) => run.then(() => undefined, () => record(names[i]!))));
}
