import type { AbRun, Arm } from '../../contract/shared/ab';
import type { ScoreResult } from '../../contract/ops/model';
import type { PredictionBatch } from '../../core/monitoring';
import type { Dataset } from '../datasets';
import { mergeArms, routeFor, routeRows } from '../loop/ab';
import type { VersionMeta } from '../../contract/shared/registry';
import { predict, scoreSamples } from '../../core/model';
import type { Registry } from '../../core/registry';
import { currentRegistry } from '../registry-access';
import type { BackendState } from '../state';
import { idColumn, numberColumns, timeColumn } from './columns';
import { modelInput } from './normalize';
import { scoreDatasetContextualThreads, versionFeatures } from './score-contextual';
import type { ScoredRequest } from './score-output';
import { loadDetector } from './versions';

/**
 * A/B and shadow in the scoring tail (ARCHITECTURE §4a): when the scoring of
 * an alias has an active run, the challenger scores the same rows; in an A/B
 * run the output takes the challenger's score and flag where it decides, in a
 * shadow run the output is the champion's, untouched. Each arm is logged as
 * its own batch of the same request.
 */

export interface RoutedRequest {
  run: AbRun;
  /** 1 where the challenger decided (all 0 for a shadow). */
  arms: Uint8Array;
  challenger: { version: string; features: string[]; scores: Float64Array; flags: Uint8Array; values: Float64Array[] };
}

/** What the scoring's arguments say about routing: the alias it scored, or (watch) the alias its pinned champion stands for. */
export interface RouteArgs {
  model?: string;
  version?: string | undefined;
  alias?: string | undefined;
  /** Watch pins the champion's version but scores on behalf of this alias. */
  abAlias?: string | undefined;
}

export async function routeScoring(args: RouteArgs, ds: Dataset, r: ScoredRequest, state: BackendState): Promise<RoutedRequest | null> {
  const by = args.abAlias !== undefined ? { alias: args.abAlias } : { version: args.version, alias: args.alias };
  const run = await routeFor(state, r.model, by, r.version);
  if (!run) return null;
  const registry = await currentRegistry(state);
  const meta = await registry.getVersion(r.model, run.challenger);
  const challenger = await scoreVersionOnDataset(registry, meta, ds, state);
  const arms = routeRows(run, r.scores.length, idColumn(ds.table, ds.roles), timeColumn(ds.table, ds.roles), r.values);
  return { run, arms, challenger: { version: meta.version, ...challenger } };
}

/** The challenger's scores of every row, with the raw values its log batch keeps (either model kind). */
async function scoreVersionOnDataset(
  registry: Registry,
  meta: VersionMeta,
  ds: Dataset,
  state: BackendState,
): Promise<{ features: string[]; scores: Float64Array; flags: Uint8Array; values: Float64Array[] }> {
  const detector = await loadDetector(registry, meta);
  const what = `Scoring with the challenger ${meta.model} ${meta.version}`;
  if (detector.kind === 'contextual') {
    const features = versionFeatures(meta, detector.artifact);
    const values = numberColumns(ds, features, what, 'datasetId');
    const { scores } = await scoreDatasetContextualThreads(ds, meta, detector.artifact, what, state);
    return { features, scores: scores.scores, flags: scores.flags, values };
  }
  const input = modelInput(ds, detector, what);
  const scores = scoreSamples(detector.model, input.forestView(0, ds.table.rowCount));
  return { features: detector.model.features, scores, flags: predict(detector.model, scores), values: input.raw };
}

/** The output's scores and flags: the champion's, with the challenger's where it decided. */
export function shownScores(r: ScoredRequest, routed: RoutedRequest | null): { scores: Float64Array; flags: Uint8Array } {
  if (!routed || routed.run.mode === 'shadow') return r;
  return mergeArms(routed.arms, r, routed.challenger);
}

/** The log batches of a routed request: champion and challenger rows apart (A/B), or the champion's and the shadow's (shadow). */
export function armBatches(base: PredictionBatch, routed: RoutedRequest): PredictionBatch[] {
  const c = routed.challenger;
  const challengerBase: PredictionBatch = {
    ...base,
    version: c.version,
    features: c.features,
    scores: c.scores,
    flags: c.flags,
    values: c.values,
  };
  if (routed.run.mode === 'shadow') return [base, { ...challengerBase, arm: 'shadow' }];
  return [subset(base, routed.arms, 0, 'champion'), subset(challengerBase, routed.arms, 1, 'challenger')].filter(
    (b) => b.scores.length > 0,
  );
}

function subset(b: PredictionBatch, arms: Uint8Array, want: number, arm: Arm): PredictionBatch {
  const idx: number[] = [];
  for (let i = 0; i < arms.length; i++) if (arms[i] === want) idx.push(i);
  const pick = <T extends Float64Array | Uint8Array | Int8Array | Uint16Array>(a: T): T => {
    const out = new (a.constructor as new (n: number) => T)(idx.length);
    for (let k = 0; k < idx.length; k++) out[k] = a[idx[k]!]!;
    return out;
  };
  return {
    ...b,
    arm,
    scores: pick(b.scores),
    flags: pick(b.flags),
    values: b.values.map(pick),
    ...(b.labels ? { labels: pick(b.labels) } : {}),
    ...(b.rowTimes ? { rowTimes: pick(b.rowTimes) } : {}),
    ...(b.buildingSlots ? { buildingSlots: pick(b.buildingSlots) } : {}),
  };
}

/** What a score result says about its run: the challenger, and how many readings it decided (A/B) or scored (shadow). */
export function abSummary(routed: RoutedRequest): NonNullable<ScoreResult['ab']> {
  let decided = 0;
  for (let i = 0; i < routed.arms.length; i++) decided += routed.arms[i]!;
  return {
    mode: routed.run.mode,
    runId: routed.run.id,
    challenger: routed.challenger.version,
    challengerReadings: routed.run.mode === 'shadow' ? routed.arms.length : decided,
  };
}
