/**
 * Isolation Forest (Liu, Ting & Zhou 2008) with scikit-learn's semantics, so
 * a score means what it means in sklearn's IsolationForest:
 * anomaly_score = 2^(-E[h(x)] / c(ψ)) in (0, 1], higher = more anomalous,
 * i.e. sklearn's `-score_samples(X)`.
 *
 * Input is column-major (one Float64Array per feature), as the rest of the app
 * holds data. Training data must be finite (impute first); scoring sends NaN
 * right at every split (see score-kernel.ts).
 */
import { allocateNodes, allocateScratch, buildTree } from './build-tree';
import { quantiles } from '../stats/quantile';
import { createRng } from '../data/rng';
import { scoreRange } from './score-kernel';
import { TRAIN } from '../../contract/shared/model';
import { DEFAULT_PARAMS } from './types';
import type { FitHooks, ForestArrays, IForestModel, IForestParams } from './types';

export { cFactor } from './path-length';
export { DEFAULT_PARAMS } from './types';
export type { FitHooks, ForestArrays, IForestModel, IForestParams } from './types';

/** Fills defaults and rejects parameters sklearn would reject. */
export function resolveParams(params: Partial<IForestParams>): IForestParams {
  const p: IForestParams = {
    nTrees: params.nTrees ?? DEFAULT_PARAMS.nTrees,
    maxSamples: params.maxSamples ?? DEFAULT_PARAMS.maxSamples,
    contamination: params.contamination ?? DEFAULT_PARAMS.contamination,
    seed: params.seed ?? DEFAULT_PARAMS.seed,
  };
  if (!Number.isInteger(p.nTrees) || p.nTrees < 1) throw new Error(`nTrees must be a positive integer, got ${p.nTrees}`);
  if (!Number.isInteger(p.maxSamples) || p.maxSamples < 2) {
    throw new Error(`maxSamples must be an integer >= 2, got ${p.maxSamples}`);
  }
  if (p.contamination !== 'auto') {
    const c = p.contamination;
    if (typeof c !== 'number' || !(c > 0 && c <= TRAIN.contamination.max)) {
      throw new Error(`contamination must be 'auto' or a fraction in (0, ${TRAIN.contamination.max}], got ${String(c)}`);
    }
  }
  if (!Number.isInteger(p.seed)) throw new Error(`seed must be an integer, got ${p.seed}`);
  return p;
}

function checkColumns(columns: readonly Float64Array[], nFeatures: number): number {
  if (columns.length !== nFeatures) {
    throw new Error(`expected ${nFeatures} feature columns, got ${columns.length}`);
  }
  if (nFeatures === 0) throw new Error('at least one feature column is required');
  const rows = columns[0]!.length;
  for (let f = 1; f < nFeatures; f++) {
    if (columns[f]!.length !== rows) {
      throw new Error(`feature column ${f} has ${columns[f]!.length} rows, column 0 has ${rows}`);
    }
  }
  return rows;
}

/** The saved model keys explanations and columns by name, so names must be usable as keys. */
function checkFeatureNames(features: readonly string[]): void {
  const seen = new Set<string>();
  for (const name of features) {
    if (typeof name !== 'string' || name.length === 0) throw new Error('feature names must be non-empty strings');
    if (seen.has(name)) throw new Error(`feature "${name}" is listed twice`);
    seen.add(name);
  }
}

function checkFinite(columns: readonly Float64Array[], features: readonly string[]): void {
  for (let f = 0; f < columns.length; f++) {
    const col = columns[f]!;
    for (let i = 0; i < col.length; i++) {
      if (!Number.isFinite(col[i]!)) {
        throw new Error(`feature "${features[f]}" row ${i} is ${col[i]}; impute or drop missing and infinite values before fitting`);
      }
    }
  }
}

export function fitIsolationForest(
  columns: Float64Array[],
  features: string[],
  params: Partial<IForestParams>,
  hooks?: FitHooks,
): IForestModel {
  const p = resolveParams(params);
  const nFeatures = features.length;
  const rows = checkColumns(columns, nFeatures);
  checkFeatureNames(features);
  if (rows < 2) throw new Error(`an isolation forest needs at least 2 training rows, got ${rows}`);
  checkFinite(columns, features);

  const subsample = Math.min(p.maxSamples, rows);
  const maxDepth = Math.ceil(Math.log2(Math.max(subsample, 2)));
  const rng = createRng(p.seed);
  // A tree over ψ rows has at most ψ leaves (children are never empty), so 2ψ - 1 nodes.
  const nodes = allocateNodes(p.nTrees * (2 * subsample - 1));
  const scratch = allocateScratch(subsample, nFeatures);
  const treeOffsets = new Int32Array(p.nTrees + 1);
  // Partial Fisher-Yates over a permutation that is never reset: from any
  // starting order, k swaps yield a uniform k-subset, so one array serves all trees.
  const perm = new Int32Array(rows);
  for (let i = 0; i < rows; i++) perm[i] = i;

  for (let t = 0; t < p.nTrees; t++) {
    for (let i = 0; i < subsample; i++) {
      const j = i + rng.int(rows - i);
      const row = perm[j]!;
      perm[j] = perm[i]!;
      perm[i] = row;
      for (let f = 0; f < nFeatures; f++) scratch.rows[i * nFeatures + f] = columns[f]![row]!;
    }
    treeOffsets[t] = nodes.count;
    buildTree(nodes, scratch, subsample, nFeatures, maxDepth, rng);
    hooks?.progress?.(t + 1, p.nTrees);
  }
  treeOffsets[p.nTrees] = nodes.count;

  const n = nodes.count;
  const trees: ForestArrays = {
    treeOffsets,
    feature: nodes.feature.slice(0, n),
    threshold: nodes.threshold.slice(0, n),
    left: nodes.left.slice(0, n),
    right: nodes.right.slice(0, n),
    size: nodes.size.slice(0, n),
    leafValue: nodes.leafValue.slice(0, n),
  };
  const model: IForestModel = {
    formatVersion: 1,
    params: p,
    features: [...features],
    subsample,
    threshold: 0.5,
    trees,
    trainedRows: rows,
  };
  if (p.contamination !== 'auto') {
    model.threshold = quantiles(scoreSamples(model, columns), [1 - p.contamination])[0]!;
  }
  return model;
}

/** Anomaly score per row, in (0, 1]; sklearn's -score_samples. */
export function scoreSamples(model: IForestModel, columns: Float64Array[]): Float64Array {
  const rows = checkColumns(columns, model.features.length);
  const out = new Float64Array(rows);
  scoreRange(model.trees, model.subsample, columns, 0, rows, out);
  return out;
}

/** 1 where score > model.threshold (strictly, as sklearn's predict), else 0. */
export function predict(model: IForestModel, scores: Float64Array): Uint8Array {
  const flags = new Uint8Array(scores.length);
  const t = model.threshold;
  for (let i = 0; i < scores.length; i++) flags[i] = scores[i]! > t ? 1 : 0;
  return flags;
}
