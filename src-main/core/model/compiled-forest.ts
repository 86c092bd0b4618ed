import type { ForestArrays } from './types';

/**
 * A scoring-only copy of a forest in which every tree is padded out to a
 * complete binary tree of the forest's maximum depth, in heap order (children
 * of i are 2i+1 and 2i+2). A leaf that sklearn's rules stopped early is
 * replaced by a subtree whose leaves all carry its value, so the score is
 * unchanged. The payoff: every walk is exactly `depth` steps with no loop-exit
 * branch and no child arrays, which lets the kernel advance several rows in
 * lock-step with branch-free index arithmetic.
 *
 * Not part of the saved model: it is derived on demand and cached per forest.
 */
export interface CompiledForest {
  depth: number;
  nTrees: number;
  /** (2^depth - 1) entries per tree. */
  feature: Int32Array;
  threshold: Float64Array;
  /** 2^depth entries per tree: depth + c(size) of the original leaf. */
  leaf: Float64Array;
}

/** Beyond this the padded copy grows too large (2^depth leaves per tree). */
export const MAX_COMPILED_DEPTH = 12;

const cache = new WeakMap<ForestArrays, CompiledForest | null>();

function forestDepth(trees: ForestArrays): number {
  const depth = new Int32Array(trees.feature.length);
  let max = 0;
  for (let t = 0; t + 1 < trees.treeOffsets.length; t++) {
    const root = trees.treeOffsets[t]!;
    depth[root] = 0;
    // Preorder storage puts each parent before its children, so one forward pass suffices.
    for (let i = root; i < trees.treeOffsets[t + 1]!; i++) {
      if (trees.feature[i]! < 0) continue;
      const d = depth[i]! + 1;
      depth[trees.left[i]!] = d;
      depth[trees.right[i]!] = d;
      if (d > max) max = d;
    }
  }
  return max;
}

export function compileForest(trees: ForestArrays): CompiledForest | null {
  const cached = cache.get(trees);
  if (cached !== undefined) return cached;
  const depth = forestDepth(trees);
  let compiled: CompiledForest | null = null;
  if (depth <= MAX_COMPILED_DEPTH) {
    const nTrees = trees.treeOffsets.length - 1;
    const nInternal = (1 << depth) - 1;
    const nLeaves = 1 << depth;
    const feature = new Int32Array(nTrees * nInternal);
    const threshold = new Float64Array(nTrees * nInternal);
    const leaf = new Float64Array(nTrees * nLeaves);
    for (let t = 0; t < nTrees; t++) {
      const fo = t * nInternal;
      const lo = t * nLeaves;
      const place = (src: number, heap: number, level: number): void => {
        if (level === depth) {
          leaf[lo + heap - nInternal] = trees.leafValue[src]!;
        } else if (trees.feature[src]! < 0) {
          // Padding node: both sides lead to the same value, so feature 0 / threshold 0 are arbitrary.
          place(src, 2 * heap + 1, level + 1);
          place(src, 2 * heap + 2, level + 1);
        } else {
          feature[fo + heap] = trees.feature[src]!;
          threshold[fo + heap] = trees.threshold[src]!;
          place(trees.left[src]!, 2 * heap + 1, level + 1);
          place(trees.right[src]!, 2 * heap + 2, level + 1);
        }
      };
      place(trees.treeOffsets[t]!, 0, 0);
    }
    compiled = { depth, nTrees, feature, threshold, leaf };
  }
  cache.set(trees, compiled);
  return compiled;
}
