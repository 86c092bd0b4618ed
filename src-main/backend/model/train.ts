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
import type { JobContext } from '../job';
import { currentRegistry } from '../registry-access';
import type { BackendState } from '../state';
import { featureNames, labelColumn, numberColumns } from './columns';
import { hasTimestamp } from './contextual-data';
import { trainContextual } from './train-contextual';
import { chooseNormalize, type NormalizeChoice } from './normalize';
import { hashColumns, knownLabels, splitTraining, type TrainingSplit } from './prepare';

/**
 * model.train: fit an Isolation Forest on a loaded dataset and register it as
 * a new version. Nothing touches the registry until the fit has finished and
 * the job is checked for cancellation one last time, so a cancelled training
 * registers nothing.
 */
export async function trainModel(args: OpArgs<'model.train'>, ctx: JobContext, state: BackendState): Promise<TrainResult> {
  const ds = state.datasets.get(args.datasetId);
  // Timestamped data gets the contextual detector unless the forest is asked for (README "The model").
  if ((args.algorithm ?? (hasTimestamp(ds) ? 'contextual' : 'isolation-forest')) === 'contextual') return trainContextual(args, ctx, state);
  const features = featureNames(ds, args.features);
  const columns = numberColumns(ds, features, 'Training', 'features');
  const label = labelColumn(ds, args.label);
  if (label && features.includes(label.name)) {
    throw new GreenLensError('invalid_input', `Column "${label.name}" cannot be both a feature and the label.`, {
      field: 'label',
      column: label.name,
    });
  }
  // Open (or create) the registry first: a training that cannot be saved should fail before the work.
  const registry = await currentRegistry(state);
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
  const { preprocess, split } = preprocessSplit(raw, features, normalize);

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

  ctx.progress('evaluating', 0, 1);
  const metrics = measure(model, split, trainingMs);
  const reference = buildReferenceProfile(Object.fromEntries(features.map((f, i) => [f, raw.train[i]!])));
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
  };
  // Last chance to cancel: after this the version exists.
  ctx.progress('registering', 0, 1);
  const meta = await registry.registerVersion({
    model: args.model,
    version: args.version,
    params: { ...params },
    metrics,
    trainingData: { rows: raw.train[0]!.length, columns: features, sha256: hashColumns(raw.train), source: ds.info.name },
    tags: args.tags,
    description: args.description,
    artifact: modelArtifactToJson({ preprocess, forest: model }),
    reference,
  });
  ctx.emit({ type: 'changed', topic: 'versions' });
  let versionMeta = meta;
  if (args.alias) {
    await registry.promote(args.model, meta.version, args.alias, { reason: `set when training ${meta.version}` });
    versionMeta = await registry.getVersion(args.model, meta.version);
    ctx.emit({ type: 'changed', topic: 'deployments' });
  }
  return { model: args.model, version: meta.version, params, metrics: meta.metrics, versionMeta };
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
function measure(model: IForestModel, split: TrainingSplit, trainingMs: number): Record<string, number | null> {
  const trainScores = scoreSamples(model, split.train);
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
    labelled = { scores: scoreSamples(model, split.holdout.columns), labels: split.holdout.labels };
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
