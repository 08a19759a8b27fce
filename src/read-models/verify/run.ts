import type { Freshness } from '../checkpoints.js';
import type { LogFold, ReadModel, ReadModelDeps, VerifyFinding } from '../read-model.js';
import { readModels } from '../registry.js';
import { foldLog } from './fold.js';
import { ledgerAndCheckpointFindings } from './ledger-check.js';
import { verifyWriteModel } from './write-model.js';

/** The name the write model's own check is reported under, before the read models. */
export const WRITE_MODEL = 'write-model';

export interface ModelVerification {
  name: string;
  store: ReadModel['store'];
  /** How many orders (or buckets) were compared. */
  checked: number;
  findings: VerifyFinding[];
  /** The read model's checkpoint when it was verified; absent for the write model. */
  freshness?: Freshness;
}

export interface VerifyRun {
  events: number;
  orders: number;
  results: ModelVerification[];
}

export const NO_VERIFIER = 'no verifier: the read model does not implement verify()';

/** A verifier that throws is a finding, not a crash: the other models still get checked. */
async function modelFindings(model: ReadModel, deps: ReadModelDeps, fold: LogFold): Promise<{ checked: number; findings: VerifyFinding[] }> {
  if (!model.verify) return { checked: 0, findings: [{ problem: NO_VERIFIER }] };
  try {
    return await model.verify(deps, fold);
  } catch (error) {
    const message = ((error as Error).message ?? String(error)).split('\n')[0]!.slice(0, 200);
    return { checked: 0, findings: [{ problem: `verify failed: ${message}` }] };
  }
}

async function verifyOne(model: ReadModel, deps: ReadModelDeps, fold: LogFold): Promise<ModelVerification> {
  const [own, shared] = await Promise.all([modelFindings(model, deps, fold), ledgerAndCheckpointFindings(deps.db, model.name, fold)]);
  return { name: model.name, store: model.store, checked: own.checked, findings: [...own.findings, ...shared.findings], freshness: shared.freshness };
}

/**
 * Folds the outbox log afresh and compares the write model and every read model with it.
 * Meant for a quiet system, or once every checkpoint has reached the head (`waitForCatchUp`):
 * events committed while it runs show up as differences.
 */
export async function verifyReadModels(deps: ReadModelDeps, models: readonly ReadModel[] = readModels): Promise<VerifyRun> {
  const fold = await foldLog(deps.db);
  const writeModel = await verifyWriteModel(deps.db, fold);
  const results = await Promise.all(models.map((model) => verifyOne(model, deps, fold)));
  return {
    events: fold.events.length,
    orders: fold.orders.size,
    results: [{ name: WRITE_MODEL, store: 'postgres', ...writeModel }, ...results],
  };
}

export function allFindings(run: VerifyRun): Array<VerifyFinding & { model: string }> {
  return run.results.flatMap((result) => result.findings.map((finding) => ({ model: result.name, ...finding })));
}
