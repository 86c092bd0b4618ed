/**
 * Why was this reading flagged? — path attribution over the forest.
 *
 * An isolation tree flags a point by cutting it away from the training rows
 * in few splits. So for each tree we follow the point's path from the root to
 * its leaf and ask, at every split on the way, how much of the remaining
 * crowd that split separated from the point:
 *
 *     weight(split) = log2(rows at the node / rows in the child the point enters)
 *
 * A split that sends the point into a child holding 1 of 200 rows earns
 * log2(200) ≈ 7.6; a split that merely halves the crowd earns 1. The weights
 * along one path add up to log2(subsample / leaf size), the number of
 * "halvings" the tree needed, so early, decisive cuts — the signature of an
 * anomaly — dominate, while the long tail of unremarkable splits near the
 * depth limit counts little. Each split credits its weight to the feature it
 * tested; each tree's credits are normalised to sum to 1 (so every tree gets
 * one equal vote) and averaged over the trees. The result is a share per
 * feature, summing to 1 over all features (a tree whose root is a leaf casts
 * no vote).
 *
 * Row sizes are the training subsample counts stored in the model; the point
 * itself is not counted. The share says where the forest looked, not a causal
 * claim; the reference percentiles (p05/p50/p95 of the training data) let a
 * person judge whether the value is unusually high or low.
 */
import { quantileSorted } from '../stats/quantile';
import type { ForestArrays, IForestModel } from './types';

export interface FeatureReference {
  p05: number;
  p50: number;
  p95: number;
}

export interface FeatureContribution {
  feature: string;
  /** Share of the isolation credit, in [0, 1]; all features together sum to 1. */
  contribution: number;
  value: number;
  reference: FeatureReference;
  /** 'high' above p95, 'low' below p05, else 'within'. */
  direction: 'high' | 'low' | 'within';
}

/**
 * Each split's weight towards either child, log2(size[node] / size[child]),
 * worked out once per forest: a flagged reading's walk then only adds them
 * (the logarithms were most of explaining the 2,000 flags of a 200k-row score).
 */
interface SplitWeights {
  left: Float64Array;
  right: Float64Array;
}

const splitWeights = new WeakMap<ForestArrays, SplitWeights>();

function weightsOf(trees: ForestArrays): SplitWeights {
  let w = splitWeights.get(trees);
  if (w) return w;
  const { feature, left, right, size } = trees;
  w = { left: new Float64Array(feature.length), right: new Float64Array(feature.length) };
  for (let node = 0; node < feature.length; node++) {
    if (feature[node]! < 0) continue;
    w.left[node] = Math.log2(size[node]! / size[left[node]!]!);
    w.right[node] = Math.log2(size[node]! / size[right[node]!]!);
  }
  splitWeights.set(trees, w);
  return w;
}

/** Isolation credit share per feature (model.features order) for one row. */
export function featureShares(model: IForestModel, row: ArrayLike<number>): Float64Array {
  const nFeatures = model.features.length;
  if (row.length !== nFeatures) throw new Error(`row has ${row.length} values, model has ${nFeatures} features`);
  const { treeOffsets, feature, threshold, left, right } = model.trees;
  const weights = weightsOf(model.trees);
  const nTrees = treeOffsets.length - 1;
  const shares = new Float64Array(nFeatures);
  const perTree = new Float64Array(nFeatures);
  // The features a tree's path splits on: only their credit is shared out and reset (a path names a few of them;
  // clearing and dividing every feature per tree was most of the cost when the flags of a large request are explained).
  const onPath = new Int32Array(nFeatures);
  const seen = new Uint8Array(nFeatures);
  let voters = 0;
  for (let t = 0; t < nTrees; t++) {
    let total = 0;
    let touched = 0;
    let node = treeOffsets[t]!;
    while (feature[node]! >= 0) {
      const f = feature[node]!;
      // Same rule as scoring: NaN fails `<=` and goes right.
      const goLeft = row[f]! <= threshold[node]!;
      const w = goLeft ? weights.left[node]! : weights.right[node]!;
      if (seen[f] === 0) {
        seen[f] = 1;
        onPath[touched++] = f;
      }
      perTree[f]! += w;
      total += w;
      node = goLeft ? left[node]! : right[node]!;
    }
    if (total !== 0) voters++;
    for (let k = 0; k < touched; k++) {
      const f = onPath[k]!;
      // A feature off the path would add 0 / total: nothing.
      if (total !== 0) shares[f]! += perTree[f]! / total;
      perTree[f] = 0;
      seen[f] = 0;
    }
  }
  if (voters > 0) for (let f = 0; f < nFeatures; f++) shares[f]! /= voters;
  return shares;
}

function direction(value: number, ref: FeatureReference): FeatureContribution['direction'] {
  if (value > ref.p95) return 'high';
  if (value < ref.p05) return 'low';
  return 'within';
}

/**
 * The top-k features that isolated `row` (values in model.features order),
 * largest share first; ties keep feature order. Every model feature must have
 * a reference entry.
 *
 * `shown` are the values reported and compared with the reference. They
 * differ from `row` when the forest sees preprocessed inputs (per-id
 * scaling): the path must be walked with what the forest saw, but a person
 * reads kW, and the reference percentiles are of the raw training data.
 */
export function explainRow(
  model: IForestModel,
  row: ArrayLike<number>,
  reference: Record<string, FeatureReference>,
  topK = 3,
  shown: ArrayLike<number> = row,
): FeatureContribution[] {
  if (shown.length !== row.length) throw new Error(`shown has ${shown.length} values, row has ${row.length}`);
  const shares = featureShares(model, row);
  const all = model.features.map((name, f): FeatureContribution => {
    const ref = reference[name];
    if (!ref) throw new Error(`no reference percentiles for feature "${name}"`);
    const value = shown[f]!;
    return { feature: name, contribution: shares[f]!, value, reference: { ...ref }, direction: direction(value, ref) };
  });
  // Array.prototype.sort is stable, so equal shares keep feature order.
  return all.sort((a, b) => b.contribution - a.contribution).slice(0, Math.max(0, topK));
}

/** explainRow for row `index` of column-major data; `shownColumns` as `shown` there (default: `columns`). */
export function explainRowAt(
  model: IForestModel,
  columns: readonly Float64Array[],
  index: number,
  reference: Record<string, FeatureReference>,
  topK = 3,
  shownColumns: readonly Float64Array[] = columns,
): FeatureContribution[] {
  const rowOf = (cols: readonly Float64Array[]): number[] => {
    if (cols.length !== model.features.length) {
      throw new Error(`expected ${model.features.length} feature columns, got ${cols.length}`);
    }
    return cols.map((c) => {
      if (index < 0 || index >= c.length) throw new Error(`row ${index} is out of range (0..${c.length - 1})`);
      return c[index]!;
    });
  };
  return explainRow(model, rowOf(columns), reference, topK, rowOf(shownColumns));
}

/** p05/p50/p95 per feature (numpy linear interpolation), ignoring NaN, for use as the explanation reference. */
export function referenceFromColumns(columns: readonly Float64Array[], features: readonly string[]): Record<string, FeatureReference> {
  const out: Record<string, FeatureReference> = {};
  features.forEach((name, f) => {
    const sorted = columns[f]!.filter((v) => !Number.isNaN(v)).sort();
    out[name] = {
      p05: quantileSorted(sorted, 0.05),
      p50: quantileSorted(sorted, 0.5),
      p95: quantileSorted(sorted, 0.95),
    };
  });
  return out;
}
