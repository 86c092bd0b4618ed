import { cFactor } from './path-length';
import type { Rng } from '../data/rng';
import type { ForestArrays } from './types';

/** Growable-once node storage shared by all trees of one fit: the forest's arrays before the tree offsets. */
export type NodeBuffers = Omit<ForestArrays, 'treeOffsets'> & {
  /** Next free node index. */
  count: number;
};

export function allocateNodes(capacity: number): NodeBuffers {
  return {
    feature: new Int32Array(capacity),
    threshold: new Float64Array(capacity),
    left: new Int32Array(capacity),
    right: new Int32Array(capacity),
    size: new Int32Array(capacity),
    leafValue: new Float64Array(capacity),
    count: 0,
  };
}

/** Scratch space for one tree, reused across trees so a fit allocates once. */
export interface TreeScratch {
  /** Row-major subsample: row r, feature f at r * nFeatures + f. */
  rows: Float64Array;
  /** Permutation of local row ids; each node owns a contiguous range of it. */
  order: Int32Array;
  nonConstant: Int32Array;
  mins: Float64Array;
  maxs: Float64Array;
}

export function allocateScratch(subsample: number, nFeatures: number): TreeScratch {
  return {
    rows: new Float64Array(subsample * nFeatures),
    order: new Int32Array(subsample),
    nonConstant: new Int32Array(nFeatures),
    mins: new Float64Array(nFeatures),
    maxs: new Float64Array(nFeatures),
  };
}

/**
 * Grows one isolation tree over scratch.rows (already filled with the
 * subsample) and appends it to `nodes` in preorder. Returns the root index.
 *
 * Mirrors scikit-learn's ExtraTreeRegressor(max_features=1, splitter='random')
 * as IsolationForest drives it: a node becomes a leaf at maxDepth, with one
 * row, or when every feature is constant over its rows; otherwise the feature
 * is uniform among the node's non-constant features and the threshold uniform
 * in [min, max) — nudged to min if rounding lands on max, as sklearn does, so
 * both children are non-empty.
 */
export function buildTree(
  nodes: NodeBuffers,
  scratch: TreeScratch,
  subsample: number,
  nFeatures: number,
  maxDepth: number,
  rng: Rng,
): number {
  const { rows, order, nonConstant, mins, maxs } = scratch;
  for (let i = 0; i < subsample; i++) order[i] = i;

  const grow = (start: number, end: number, depth: number): number => {
    const node = nodes.count++;
    const n = end - start;
    nodes.size[node] = n;

    let candidates = 0;
    if (depth < maxDepth && n > 1) {
      for (let f = 0; f < nFeatures; f++) {
        const v = rows[order[start]! * nFeatures + f]!;
        mins[f] = v;
        maxs[f] = v;
      }
      for (let i = start + 1; i < end; i++) {
        const base = order[i]! * nFeatures;
        for (let f = 0; f < nFeatures; f++) {
          const v = rows[base + f]!;
          if (v < mins[f]!) mins[f] = v;
          else if (v > maxs[f]!) maxs[f] = v;
        }
      }
      for (let f = 0; f < nFeatures; f++) if (maxs[f]! > mins[f]!) nonConstant[candidates++] = f;
    }

    if (candidates === 0) {
      nodes.feature[node] = -1;
      nodes.threshold[node] = 0;
      nodes.left[node] = -1;
      nodes.right[node] = -1;
      nodes.leafValue[node] = depth + cFactor(n);
      return node;
    }

    const f = nonConstant[rng.int(candidates)]!;
    const lo = mins[f]!;
    const hi = maxs[f]!;
    let threshold = lo + rng.next() * (hi - lo);
    if (threshold >= hi) threshold = lo;

    // Partition order[start, end) so rows going left (<= threshold) come first.
    let i = start;
    let j = end - 1;
    while (i <= j) {
      if (rows[order[i]! * nFeatures + f]! <= threshold) i++;
      else {
        const t = order[i]!;
        order[i] = order[j]!;
        order[j] = t;
        j--;
      }
    }

    nodes.feature[node] = f;
    nodes.threshold[node] = threshold;
    nodes.leafValue[node] = 0;
    nodes.left[node] = grow(start, i, depth + 1);
    nodes.right[node] = grow(i, end, depth + 1);
    return node;
  };

  return grow(0, subsample, 0);
}
