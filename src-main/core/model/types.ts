import { TRAIN } from '../../contract/shared/model';

export interface IForestParams {
  nTrees: number;
  /** Rows drawn (without replacement) per tree; the effective size is min(maxSamples, rows). */
  maxSamples: number;
  /** 'auto' flags score > 0.5; a fraction f in (0, 0.5] flags the top f of the training scores. */
  contamination: 'auto' | number;
  seed: number;
}

/** The model.train operation's defaults (contract leaf), so core and every caller agree. */
export const DEFAULT_PARAMS: IForestParams = {
  nTrees: TRAIN.trees.default,
  maxSamples: TRAIN.sampleSize.default,
  contamination: TRAIN.contamination.default,
  seed: TRAIN.seed.default,
};

/**
 * All trees of a forest in one set of parallel arrays, one entry per node.
 * Trees are laid out one after another in preorder, so tree t owns nodes
 * [treeOffsets[t], treeOffsets[t+1]) and every child index is larger than its
 * parent's (which is what lets the loader prove there are no cycles).
 * Child indices are global (into these arrays), not relative to the tree.
 */
export interface ForestArrays {
  /** Length nTrees + 1. */
  treeOffsets: Int32Array;
  /** Split feature index, or -1 for a leaf. */
  feature: Int32Array;
  /** Go left when x[feature] <= threshold. 0 at leaves. */
  threshold: Float64Array;
  /** -1 at leaves. */
  left: Int32Array;
  /** -1 at leaves. */
  right: Int32Array;
  /** Training (subsample) rows that reached the node. */
  size: Int32Array;
  /** depth + c(size) at leaves, precomputed so scoring is one walk and one add; 0 elsewhere. */
  leafValue: Float64Array;
}

export interface IForestModel {
  formatVersion: 1;
  params: IForestParams;
  features: string[];
  /** Rows per tree actually used: min(maxSamples, trainedRows). */
  subsample: number;
  /** Flag a row as anomalous when its anomaly score is strictly greater than this. */
  threshold: number;
  trees: ForestArrays;
  trainedRows: number;
}

export interface FitHooks {
  /** Called once per finished tree; throwing from it cancels the fit. */
  progress?(done: number, total: number): void;
}
