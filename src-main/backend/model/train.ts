import { withSeason } from '../../core/drift/season';
import { GreenLensError, type OpArgs } from '../../contract';
import type { TrainParams, TrainResult } from '../../contract/ops/model';
import { buildReferenceProfile } from '../../core/drift/profile';
import {
  applyGroupScaler,
  evaluate,
  fitGroupScaler,
  fitIsolationForest,
  modelArtifactToJson,
  scoreSamples,
  type IForestModel,
  type Preprocess,
} from '../../core/model';
import { progressCommitted, type JobContext } from '../job';
import { globalImportance, importanceMetrics } from '../../core/model/importance';
import { currentRegistry, registryDirOf } from '../registry-access';
import type { BackendState } from '../state';
import { featureNames, labelColumn, numberColumns, timeColumn } from './columns';
import { chooseAlgorithm } from './choose-algorithm';
import { labelsWithFeedback } from '../feedback/labels';
import { readFeedback } from '../feedback/store';
import { prepareTraining, withDatasetId } from '../loop/lineage';
import { trainContextual } from './train-contextual';
import { chooseNormalize, type NormalizeChoice } from './normalize';
import { constantFeatures, hashColumns, knownLabels, splitTraining, type TrainingSplit } from './prepare';

/**
 * model.train: fit a detector on a loaded dataset and register it as a new
 * version (the contextual one is in train-contextual.ts; this file fits the forest). Nothing touches the registry until the fit has finished and
 * the job is checked for cancellation one last time, so a cancelled training
 * registers nothing.
 */
export async function trainModel(input: OpArgs<'model.train'>, ctx: JobContext, state: BackendState): Promise<TrainResult> {
  // The data window (a retrain recommendation's) and the lineage recorded in version.json (ARCHITECTURE §4).
  const args = await prepareTraining(input, state);
  const ds = await state.datasets.get(args.datasetId, registryDirOf(state));
  // The contextual detector is the default on timestamped readings; the forest when asked for or when the data cannot feed it.
  const chosen = chooseAlgorithm(ds, args);
  if (chosen.algorithm === 'contextual') return trainContextual(args, ctx, state);
  const requested = featureNames(ds, args.features);
  const label = args.includeFeedback
    ? labelsWithFeedback(ds, labelColumn(ds, args.label), (await readFeedback((await currentRegistry(state)).dir)).records, args.model)
        .label
    : labelColumn(ds, args.label);
  if (label && requested.includes(label.name)) {
    throw new GreenLensError('invalid_input', `Column "${label.name}" cannot be both a feature and the label.`, {
      field: 'label',
      column: label.name,
    });
  }
  // Progress per phase (ARCHITECTURE §5): each phase counts its own steps, so no phase sits at 0 % or 100 %.
  // preparing: open the registry, split, scale.
  ctx.progress('preparing', 0, 3);
  const {
    features,
    columns,
    dropped,
    warnings: featureWarnings,
  } = variedFeatures(requested, numberColumns(ds, requested, 'Training', 'features'));
  // Open (or create) the registry first: a training that cannot be saved should fail before the work.
  const registry = await currentRegistry(state);
  const warnings = chosen.note ? [chosen.note, ...featureWarnings] : featureWarnings;
  ctx.progress('preparing', 1, 3);
  const normalize = chooseNormalize(ds, args.normalize);
  const raw = splitTraining(
    columns,
    label?.values ?? null,
    args.holdout,
    args.seed,
    normalize.kind === 'per-id' ? normalize.groups.codes : null,
  );
  // The forest (and its metrics) work on scaled values; the reference profile and
  // the training-data hash stay on `raw`: drift is about what the buildings produce.
  ctx.progress('preparing', 2, 3);
  const { preprocess, split } = preprocessSplit(raw, features, normalize);
  ctx.progress('preparing', 3, 3);

  const started = performance.now();
  let model: IForestModel;
  try {
    model = fitIsolationForest(
      split.train,
      features,
      { nTrees: args.trees, maxSamples: args.sampleSize, contamination: args.contamination, seed: args.seed },
      { progress: (done, total) => ctx.progress('training', done, total) },
    );
  } catch (error) {
    if (error instanceof GreenLensError) throw error; // cancelled
    throw new GreenLensError('invalid_input', `Training failed: ${(error as Error).message}.`, { field: 'features' });
  }
  const trainingMs = performance.now() - started;

  // evaluating: score the fitting rows and the holdout in chunks (rows), then profile the reference (one step per feature).
  const evalRows = split.train[0]!.length + (split.holdout?.labels.length ?? 0);
  const evalTotal = evalRows + features.length;
  const metrics = measure(model, split, trainingMs, (rows) => ctx.progress('evaluating', rows, evalTotal));
  // Global importance on the rows the metrics were measured on, stored as metrics so versions.compare lines them up.
  Object.assign(metrics, importanceMetrics(model, globalImportance(model, split.holdout?.columns ?? split.train, args.seed ?? 0)));
  const profile = buildReferenceProfile(
    Object.fromEntries(features.map((f, i) => [f, raw.train[i]!])),
    {},
    { progress: (done) => ctx.progress('evaluating', evalRows + done, evalTotal) },
  );
  // A year of timestamped readings: a sample of them with their days (drift against the same weeks, season.ts). The
  // holdout is a random subset of the rows, so the sample is drawn from all of them.
  const rowTimes = timeColumn(ds.table, ds.roles);
  const reference = rowTimes ? withSeason(profile, Object.fromEntries(features.map((f, i) => [f, columns[i]!])), rowTimes) : profile;
  ctx.progress('evaluating', evalTotal, evalTotal);
  const params: TrainParams = {
    algorithm: 'isolation-forest',
    features,
    label: label?.name ?? null,
    trees: args.trees,
    sampleSize: args.sampleSize,
    subsample: model.subsample,
    contamination: args.contamination,
    seed: args.seed,
    holdout: label ? args.holdout : 0,
    threshold: model.threshold,
    normalize: preprocess.kind,
    idColumn: preprocess.kind === 'per-id' ? preprocess.idColumn : null,
    droppedFeatures: dropped,
  };
  // registering: hash the training data, serialize the model, write the version.
  ctx.progress('registering', 0, 3);
  const sha256 = hashColumns(raw.train);
  ctx.progress('registering', 1, 3);
  const artifact = modelArtifactToJson({ preprocess, forest: model });
  // Last chance to cancel: after this the version exists.
  ctx.progress('registering', 2, 3);
  const meta = await registry.registerVersion({
    model: args.model,
    version: args.version,
    params: { ...params },
    metrics,
    trainingData: await withDatasetId(args, { rows: raw.train[0]!.length, columns: features, sha256, source: ds.info.name }),
    tags: args.tags,
    description: args.description,
    artifact,
    reference,
    lineage: args.lineage,
  });
  ctx.emit({ type: 'changed', topic: 'versions' });
  let versionMeta = meta;
  if (args.alias) {
    await registry.promote(args.model, meta.version, args.alias, { reason: `set when training ${meta.version}` });
    versionMeta = await registry.getVersion(args.model, meta.version);
    ctx.emit({ type: 'changed', topic: 'deployments' });
  }
  // The version exists by now: a late cancel is not thrown, and registering ends at 100 %.
  progressCommitted(ctx, 'registering', 3);
  return { model: args.model, version: meta.version, params, metrics: meta.metrics, versionMeta, warnings };
}

const fmtValue = (v: number): string => String(v);

/**
 * Leaves out features that are constant (an isolation tree cannot split on
 * them; a file whose only feature was constant trained "fine" with 0 %
 * anomalies), with a warning each; refuses when nothing varies.
 */
function variedFeatures(
  requested: string[],
  all: Float64Array[],
): { features: string[]; columns: Float64Array[]; dropped: string[]; warnings: string[] } {
  const constant = constantFeatures(requested, all);
  if (constant.length === requested.length) {
    const list = constant.map((c) => `${c.name} = ${fmtValue(c.value)}`).join(', ');
    throw new GreenLensError(
      'invalid_input',
      `Every feature is constant (${list}): an anomaly model needs at least one feature that varies.`,
      {
        field: 'features',
        column: constant[0]!.name,
        hint: 'Mark a column whose values change (a meter reading, a temperature) as a feature, or use data from a longer period.',
      },
    );
  }
  const dropped = new Set(constant.map((c) => c.name));
  const warnings = constant.map(
    (c) =>
      `Feature "${c.name}" is constant (${fmtValue(c.value)} in all ${c.rows.toLocaleString('en-US')} rows) and was left out of the model.`,
  );
  const keep = requested.map((_, j) => j).filter((j) => !dropped.has(requested[j]!));
  return { features: keep.map((j) => requested[j]!), columns: keep.map((j) => all[j]!), dropped: [...dropped], warnings };
}

const EVAL_CHUNK_ROWS = 32_768;

/** scoreSamples in slices, reporting rows done after each (the callback may throw to cancel). */
function scoreInChunks(model: IForestModel, columns: Float64Array[], progress: (rowsDone: number) => void): Float64Array {
  const rows = columns[0]?.length ?? 0;
  const out = new Float64Array(rows);
  for (let start = 0; start < rows; start += EVAL_CHUNK_ROWS) {
    progress(start);
    const end = Math.min(rows, start + EVAL_CHUNK_ROWS);
    out.set(
      scoreSamples(
        model,
        columns.map((c) => c.subarray(start, end)),
      ),
      start,
    );
  }
  progress(rows);
  return out;
}

/**
 * Fits the per-id scaler on the fitting rows only (the holdout must not leak
 * into it) and returns the split as the forest sees it. 'none' is a no-op.
 */
function preprocessSplit(
  raw: TrainingSplit,
  features: string[],
  choice: NormalizeChoice,
): { preprocess: Preprocess; split: TrainingSplit } {
  if (choice.kind === 'none') return { preprocess: { kind: 'none' }, split: raw };
  const dictionary = choice.groups.dictionary;
  const trainGroups = { codes: raw.trainGroups!, dictionary };
  const scaler = fitGroupScaler(raw.train, features, trainGroups);
  const holdout = raw.holdout && {
    ...raw.holdout,
    columns: applyGroupScaler(scaler, raw.holdout.columns, { codes: raw.holdout.groups!, dictionary }),
  };
  return {
    preprocess: { kind: 'per-id', idColumn: choice.idColumn, scaler },
    split: { ...raw, train: applyGroupScaler(scaler, raw.train, trainGroups), holdout },
  };
}

/**
 * Score distribution and anomaly rate on the fitting rows; precision, recall,
 * F1 and ROC AUC on the holdout, or on the fitting rows when nothing is held
 * out (then they are optimistic, and `evaluatedOn` says so: 0 = training, 1 = holdout).
 */
function measure(
  model: IForestModel,
  split: TrainingSplit,
  trainingMs: number,
  progress: (rowsScored: number) => void,
): Record<string, number | null> {
  const trainRows = split.train[0]!.length;
  const trainScores = scoreInChunks(model, split.train, (done) => progress(done));
  const onTrain = evaluate(trainScores, model.threshold);
  const metrics: Record<string, number | null> = {
    trainingMs: Math.round(trainingMs * 10) / 10,
    scoreP50: onTrain.scores.p50,
    scoreP95: onTrain.scores.p95,
    scoreP99: onTrain.scores.p99,
    scoreMean: onTrain.scores.mean,
    anomalyRate: onTrain.anomalyRate,
    droppedRows: split.droppedRows,
    precision: null,
    recall: null,
    f1: null,
    rocAuc: null,
  };
  let labelled: { scores: Float64Array; labels: Float64Array } | null = null;
  if (split.holdout) {
    labelled = { scores: scoreInChunks(model, split.holdout.columns, (done) => progress(trainRows + done)), labels: split.holdout.labels };
    metrics.holdoutRows = split.holdout.labels.length;
    metrics.evaluatedOn = 1;
  } else if (split.trainLabels) {
    labelled = knownLabels(trainScores, split.trainLabels);
    metrics.evaluatedOn = 0;
  }
  const result = labelled ? evaluate(labelled.scores, model.threshold, labelled.labels).labelled : null;
  if (result) {
    metrics.precision = result.precision;
    metrics.recall = result.recall;
    metrics.f1 = result.f1;
    metrics.rocAuc = result.rocAuc;
  }
  return metrics;
}
